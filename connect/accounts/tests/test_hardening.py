"""Reset floods, look-alike e-mail logins and passwords made of the portal's own names."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from connect.accounts.models import User
from connect.accounts.services import invite_repairer
from connect.testing import PASSWORD, run_tasks

pytestmark = pytest.mark.django_db
FULLWIDTH = "ｒｅｐａｒａｔｅｕｒ＠test.fr"  # "reparateur@test.fr" typed in fullwidth forms


def reset_from(client, email, ip):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_a_reset_flood_from_many_ips_sends_three_mails_and_answers_the_same(client, world):
    answers = {
        reset_from(client, world.repairer.email, f"10.2.0.{n}")["Location"] for n in range(20)
    }
    answers |= {
        reset_from(client, "personne@test.fr", f"10.3.0.{n}")["Location"] for n in range(20)
    }
    assert answers == {reverse("password_reset_done")}
    run_tasks()
    assert [message.to for message in mail.outbox] == [[world.repairer.email]] * 3


def test_one_ip_cannot_flood_many_accounts(client, world, settings):
    settings.RESETS_PER_IP_PER_HOUR = 2
    for user in (world.repairer, world.colleague, world.other_repairer):
        assert reset_from(client, user.email, "10.4.0.1").status_code == 302
    run_tasks()
    assert len(mail.outbox) == 2


def test_a_fullwidth_login_matches_the_account(client, world):
    response = client.post(reverse("login"), {"username": FULLWIDTH, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.repairer.pk)


def test_a_fullwidth_reset_reaches_the_account(client, world):
    reset_from(client, FULLWIDTH, "10.5.0.1")
    run_tasks()
    assert [message.to for message in mail.outbox] == [[world.repairer.email]]


def test_an_account_created_with_compatibility_forms_is_stored_normalised(world):
    user = invite_repairer(garage=world.garage_a, email="ＮＯＵＶＥＡＵ@Test.fr", full_name="N")
    assert user.email == "nouveau@test.fr"
    assert User.objects.create_user("ｘ@test.fr").email == "x@test.fr"


@pytest.mark.parametrize(
    "password",
    [
        "Garage Martin & Fils",
        "GarageMartinFils2026!",
        "Demo-2026-connect",
        "Connect-Reparateurs-2026",
        "BCA-Expertise-2026!",
        "123456789012",
        "987654321098",
        "121212121212",
        "000000000000",
    ],
)
def test_passwords_made_of_the_portals_names_or_digit_runs_are_refused(world, password):
    from connect.accounts.models import Garage

    garage = Garage.objects.create(external_id="GM", name="Garage Martin & Fils", unit=world.unit1)
    garage.members.add(world.repairer)
    with pytest.raises(ValidationError):
        validate_password(password, world.repairer)


def test_a_passphrase_that_only_mentions_a_name_is_accepted(world):
    validate_password("Martin répare les ailes froissées", world.repairer)
    validate_password("839201746583", world.repairer)
