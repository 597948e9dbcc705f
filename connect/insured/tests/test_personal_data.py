"""Données personnelles: the JSON export holds the insured's own data only; the insured deletes
their account themselves and the firm's dossier stays."""

import json

import pytest
from django.urls import reverse

from connect.accounts.models import User
from connect.dossiers.models import Dossier
from connect.insured.models import InsuredQuestion
from connect.insured.services import ask_question
from connect.insured.tests.helpers import follow
from connect.testing import PASSWORD, login_as

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_account_its_dossiers_and_questions(client, world):
    follow(world.dossier_a, world.insured.email, insured_mobile="+33612345678")
    follow(world.dossier_c, "paul@exemple.fr")
    ask_question(dossier=world.dossier_a, author=world.insured, body="Où est ma voiture ?")
    response = login_as(client, world.insured).get(reverse("insured:privacy_export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["compte"]["email"] == world.insured.email
    assert [d["reference"] for d in data["dossiers_suivis"]] == [world.dossier_a.reference]
    assert data["dossiers_suivis"][0]["mobile_assure"] == "+33612345678"
    assert data["questions"][0]["question"] == "Où est ma voiture ?"
    assert "repair_amount" not in response.content.decode()


def test_the_insured_deletes_their_account_and_the_dossier_stays(client, world):
    follow(world.dossier_a, world.insured.email)
    ask_question(dossier=world.dossier_a, author=world.insured, body="Question")
    login_as(client, world.insured)
    refused = client.post(reverse("insured:privacy_delete"))
    assert refused.status_code == 400 and User.objects.filter(pk=world.insured.pk).exists()
    done = client.post(reverse("insured:privacy_delete"), {"confirm": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert not User.objects.filter(pk=world.insured.pk).exists()
    assert Dossier.objects.filter(pk=world.dossier_a.pk).exists()
    assert InsuredQuestion.objects.get().author is None
    assert client.get(reverse("insured:home")).status_code == 302  # logged out
    gone = client.post(reverse("login"), {"username": world.insured.email, "password": PASSWORD})
    assert gone.status_code == 200  # no such account any more


def test_only_an_insured_reaches_the_privacy_pages(client, world):
    for user in (world.repairer, world.expert, world.client_user):
        login_as(client, user)
        assert client.get(reverse("insured:privacy")).status_code == 404
        assert client.post(reverse("insured:privacy_delete"), {"confirm": "1"}).status_code == 404
        assert User.objects.filter(pk=user.pk).exists()


def test_idle_accounts_with_no_followed_dossier_are_deleted_after_24_months(world, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from connect.accounts.models import Role
    from connect.insured.personal_data import delete_idle_accounts
    from connect.ops.schedule import DAILY_JOBS

    assert "delete_idle_insured_accounts" in {job.command for job in DAILY_JOBS}
    now = timezone.now()
    long_ago = now - timedelta(days=731)
    idle = User.objects.create_user("parti@exemple.fr", PASSWORD, role=Role.INSURED)
    following = User.objects.create_user("suit@exemple.fr", PASSWORD, role=Role.INSURED)
    recent = User.objects.create_user("recent@exemple.fr", PASSWORD, role=Role.INSURED)
    User.objects.filter(pk__in=[idle.pk, following.pk]).update(last_login=long_ago)
    User.objects.filter(pk=recent.pk).update(last_login=now - timedelta(days=700))
    User.objects.filter(pk=world.repairer.pk).update(last_login=long_ago)
    follow(world.dossier_a, following.email)
    # A frozen clock: nothing is old enough today minus a day.
    assert delete_idle_accounts(now=now - timedelta(days=2)) == 0
    assert delete_idle_accounts(now=now) == 1
    assert not User.objects.filter(pk=idle.pk).exists()
    assert User.objects.filter(pk__in=[following.pk, recent.pk, world.repairer.pk]).count() == 3
    # Once the followed dossier's archive period is over, that account goes too.
    follow(world.dossier_a, following.email, archived=True)
    Dossier.objects.filter(pk=world.dossier_a.pk).update(archived_at=now - timedelta(days=91))
    call_command("delete_idle_insured_accounts", verbosity=0)
    assert not User.objects.filter(pk=following.pk).exists()
