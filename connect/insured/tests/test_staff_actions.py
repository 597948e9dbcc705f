"""The firm invites the insured, cuts or reopens their access, from the staff dossier page."""

import pytest
from django.urls import reverse

from connect.accounts.models import Role, User
from connect.api.models import Event
from connect.insured.tests.helpers import follow, mails_to, path_in
from connect.testing import login_as

pytestmark = pytest.mark.django_db
OWNER = "marie.dupont@exemple.fr"


def test_staff_invite_the_insured_and_the_link_signs_up(client, world):
    follow(world.dossier_a, OWNER)
    login_as(client, world.expert)
    response = client.post(reverse("insured:staff_invite", args=[world.dossier_a.code]))
    assert response["Location"] == reverse("staff:dossier_documents", args=[world.dossier_a.code])
    [message] = mails_to(OWNER)
    assert "/assure/inscription/" in path_in(message)
    assert User.objects.get(email=OWNER).role == Role.INSURED
    page = client.get(response["Location"]).content.decode()
    assert "Invitation envoyée" in page and "Renvoyer l'invitation" in page


def test_an_invitation_to_a_professional_address_is_refused_on_the_page(client, world):
    follow(world.dossier_a, world.repairer.email)
    login_as(client, world.expert)
    response = client.post(
        reverse("insured:staff_invite", args=[world.dossier_a.code]), follow=True
    )
    assert "Aucune invitation envoyée" in response.content.decode()
    world.repairer.refresh_from_db()
    assert world.repairer.role == Role.REPAIRER


def test_staff_cut_and_reopen_the_access_and_the_core_system_hears_it(client, world):
    follow(world.dossier_a, world.insured.email)
    page = reverse("insured:dossier", args=[world.dossier_a.code])
    url = reverse("insured:staff_access", args=[world.dossier_a.code])
    login_as(client, world.expert).post(url, {"allowed": "0"})
    assert login_as(client, world.insured).get(page).status_code == 404
    event = Event.objects.get(kind="dossier.insured_access")
    assert event.payload == {"insured_access": False, "by": world.expert.email}
    login_as(client, world.expert).post(url, {"allowed": "1"})
    assert login_as(client, world.insured).get(page).status_code == 200


def test_only_the_units_staff_act_on_the_insured(client, world):
    follow(world.dossier_a, world.insured.email)
    for name in ("insured:staff_invite", "insured:staff_access"):
        url = reverse(name, args=[world.dossier_a.code])
        for user in (world.other_expert, world.repairer, world.insured):
            assert login_as(client, user).post(url, {"allowed": "0"}).status_code == 404
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.insured_access and mails_to(world.insured.email) == []
