"""A decision says one thing: "Accepté" with a smaller amount typed, or "Refusé" with an
amount, is a contradiction the expert must resolve; the same decision twice is recorded once."""

import uuid
from decimal import Decimal

import pytest

from connect.api.models import Event
from connect.supplements.models import SupplementDecision
from connect.supplements.services import SupplementDraft, submit_supplement
from connect.supplements.tests.test_supplements import decide
from connect.testing import login_as


@pytest.fixture
def supplement(world):
    draft = SupplementDraft(amount=Decimal("1250.50"))
    return submit_supplement(dossier=world.dossier_a, by=world.repairer, draft=draft)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        (
            {"outcome": "accepted", "accepted_amount": "5"},
            "Vous avez choisi « Accepté » : tout le montant demandé (1\u202f250,50 € HT) est "
            "accordé. Pour n'en accorder que 5,00 € HT, choisissez « Accepté en partie » ; "
            "sinon videz ce champ.",
        ),
        (
            {"outcome": "refused", "accepted_amount": "5", "reason": "Hors mission"},
            "Vous avez choisi « Refusé » : rien n'est accordé. Pour accorder 5,00 € HT, "
            "choisissez « Accepté en partie » ; sinon videz ce champ.",
        ),
    ],
)
def test_an_amount_that_contradicts_the_outcome_is_refused(
    client, world, supplement, fields, error
):
    response = decide(login_as(client, world.expert), supplement, **fields)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert error in html
    assert not SupplementDecision.objects.exists()


def test_accepted_with_the_amount_asked_typed_is_no_contradiction(client, world, supplement):
    response = decide(
        login_as(client, world.expert), supplement, outcome="accepted", accepted_amount="1250,50"
    )
    assert response.status_code == 302
    assert SupplementDecision.objects.get().accepted_amount == Decimal("1250.50")


def test_the_same_decision_again_is_not_recorded_twice(client, world, supplement):
    login_as(client, world.expert)
    for _ in range(2):  # two forms, two tokens: the second changes nothing
        response = decide(
            client,
            supplement,
            outcome="partly",
            accepted_amount="800",
            reason="Barème",
            token=str(uuid.uuid4()),
        )
        assert response.status_code == 302
    assert SupplementDecision.objects.count() == 1
    assert Event.objects.filter(kind="supplement.decided").count() == 1
    page = client.get(response["Location"]).content.decode().replace("&#x27;", "'")
    assert "Cette décision est déjà celle en vigueur : rien n'a changé." in page
    # A different decision is a new row, and going back is one too.
    decide(client, supplement, outcome="accepted", token=str(uuid.uuid4()))
    decide(
        client,
        supplement,
        outcome="partly",
        accepted_amount="800",
        reason="Barème",
        token=str(uuid.uuid4()),
    )
    assert SupplementDecision.objects.count() == 3
