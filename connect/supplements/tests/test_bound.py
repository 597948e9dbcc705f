"""A supplement far beyond the repair (1 000 000 000 € on a 14 931 € repair: a slip of the
finger) is refused with a French message; the expert may allow more on a dossier."""

from decimal import Decimal

import pytest
from django.urls import reverse

from connect.messaging.models import Message
from connect.messaging.tests.helpers import photo, post_new
from connect.supplements.models import Supplement
from connect.testing import login_as


@pytest.fixture
def dossier(world):
    world.dossier_a.repair_amount = Decimal("14931.00")
    world.dossier_a.save(update_fields=["repair_amount"])
    return world.dossier_a


def ask(client, dossier, amount):
    return post_new(
        client,
        dossier,
        "methodologie",
        body="Démontage",
        files=[photo()],
        supplement_amount=amount,
    )


def allow_url(dossier):
    return reverse("supplements:allow", kwargs={"code": dossier.code})


def text(response):
    return response.content.decode().replace("&#x27;", "'")


def test_a_supplement_beyond_the_repair_amount_is_refused(as_repairer, dossier):
    response = ask(as_repairer, dossier, "1 000 000 000")
    assert response.status_code == 400
    assert (
        "Un supplément de 1\u202f000\u202f000\u202f000,00 € HT dépasse le plafond de ce dossier "
        "(14\u202f931,00 € HT, le montant de la réparation) : vérifiez le montant. S'il est "
        "exact, demandez à l'expert de relever le plafond des suppléments de ce dossier."
    ) in text(response)
    assert not Supplement.objects.exists() and not Message.objects.exists()
    # Within the repair amount: accepted.
    assert ask(as_repairer, dossier, "14 931,00").status_code == 302


def test_without_a_repair_amount_the_bound_is_a_fixed_floor(as_repairer, world):
    assert ask(as_repairer, world.dossier_a, "10 000").status_code == 302
    response = ask(as_repairer, world.dossier_a, "10 000,01")
    assert response.status_code == 400
    assert "(10\u202f000,00 € HT, le plafond par défaut)" in text(response)


def test_the_expert_allows_more_on_the_dossier(client, world, dossier):
    login_as(client, world.expert)
    page = text(client.get(reverse("supplements:staff_supplements", args=[dossier.code])))
    assert allow_url(dossier) in page and "14\u202f931,00 € HT" in page
    response = client.post(allow_url(dossier), {"up_to": "40 000"})
    assert response.status_code == 302
    login_as(client, world.repairer)
    assert ask(client, dossier, "39 000").status_code == 302
    response = ask(client, dossier, "40 000,01")
    assert "(40\u202f000,00 € HT, relevé par l'expert)" in text(response)


@pytest.mark.parametrize(
    ("up_to", "error"),
    [
        ("", "Indiquez le plafond HT"),
        ("douze", "Saisissez un montant en euros"),
        ("-4", "Le montant doit être positif."),
    ],
)
def test_a_bad_ceiling_is_a_french_error_and_changes_nothing(client, world, dossier, up_to, error):
    login_as(client, world.expert)
    response = client.post(allow_url(dossier), {"up_to": up_to})
    assert response.status_code == 400 and error in text(response)
    login_as(client, world.repairer)
    assert ask(client, dossier, "20 000").status_code == 400


@pytest.mark.parametrize("persona", ["advisor", "repairer", "other_expert"])
def test_only_who_decides_may_raise_the_ceiling(client, world, dossier, persona):
    login_as(client, getattr(world, persona))
    assert client.post(allow_url(dossier), {"up_to": "40 000"}).status_code == 404
    login_as(client, world.repairer)
    assert ask(client, dossier, "20 000").status_code == 400
