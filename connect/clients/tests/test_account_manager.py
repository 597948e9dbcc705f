"""The account manager creates clients and their users from the staff workspace."""

import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from connect.accounts.models import AccessCode, Role, User
from connect.clients.models import Client, ClientMember
from connect.testing import login_as, run_tasks


def test_only_flagged_staff_reach_the_clients_pages(client, world):
    for user in (
        world.manager,
        world.advisor,
        world.other_expert,
        world.repairer,
        world.client_user,
    ):
        login_as(client, user)
        assert client.get(reverse("staff:clients")).status_code == 404, user.email
        url = reverse("staff:client", args=[world.client.pk])
        assert client.get(url).status_code == 404, user.email
    login_as(client, world.expert)
    assert client.get(reverse("staff:clients")).status_code == 200


def test_the_account_manager_creates_a_client(client, world):
    login_as(client, world.expert)
    response = client.post(
        reverse("staff:clients"), {"name": "Flotte Nord", "kind": "fleet", "external_id": "FN-1"}
    )
    created = Client.objects.get(external_id="FN-1")
    assert response["Location"] == reverse("staff:client", args=[created.pk])
    again = client.post(
        reverse("staff:clients"), {"name": "Autre", "kind": "bogus", "external_id": "FN-1"}
    )
    assert again.status_code == 400
    assert "Un client porte déjà cet identifiant." in again.content.decode()
    assert Client.objects.filter(external_id="FN-1").count() == 1


# The database worker closes a connection left in a transaction: commit for real here.
@pytest.mark.django_db(transaction=True)
def test_creating_a_user_shows_its_code_and_mails_the_invitation(client, world):
    login_as(client, world.expert)
    url = reverse("staff:client_user", args=[world.client.pk])
    response = client.post(
        url,
        {"email": "Gestion@Assureur.example", "full_name": "Léa Martin", "region": "Nord"},
        follow=True,
    )
    user = User.objects.get(email="gestion@assureur.example")
    assert user.role == Role.CLIENT and not user.has_usable_password()
    member = ClientMember.objects.get(user=user)
    assert (member.client, member.region) == (world.client, "Nord")
    code = AccessCode.objects.get(user=user).code
    page = unescape(response.content.decode())
    assert f"son code d'accès est {code}" in page
    run_tasks()
    (sent,) = mail.outbox
    assert sent.to == ["gestion@assureur.example"] and code in sent.body
    assert re.search(r"http://\S+/invitation/\S+/", sent.body)


def test_a_taken_email_is_refused_and_nothing_is_created(client, world):
    login_as(client, world.expert)
    url = reverse("staff:client_user", args=[world.client.pk])
    response = client.post(url, {"email": world.repairer.email, "full_name": "X"})
    assert response.status_code == 400
    assert AccessCode.objects.count() == 0


def test_the_account_manager_sets_a_users_region(client, world):
    login_as(client, world.expert)
    member = world.client_user.client_member
    url = reverse("staff:client_user_region", args=[world.client.pk, member.pk])
    client.post(url, {"region": "Sud"})
    member.refresh_from_db()
    assert member.region == "Sud"
    other = Client.objects.create(external_id="Z", name="Z", kind="other")
    wrong = reverse("staff:client_user_region", args=[other.pk, member.pk])
    assert client.post(wrong, {"region": "Est"}).status_code == 404
