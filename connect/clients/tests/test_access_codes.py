"""Access codes: unique, unambiguous, typed in any case, never issued twice; the login page
takes them as the "Identifiant", with the second factor after the password."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from connect.accounts import access_codes
from connect.accounts.models import AccessCode, LoginFailure
from connect.staff import second_factor as sf
from connect.testing import PASSWORD

from .helpers import totp_code

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXP"


def test_a_code_is_short_and_unambiguous():
    for _ in range(200):
        code = access_codes.draw()
        assert re.fullmatch(r"CL-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[2-9A-HJKMNP-Z]{4}", code)
        assert not set(code[3:]) & set("01OIL")


def test_a_code_is_read_in_any_case_with_or_without_dashes():
    assert access_codes.canonical("cl-7kq2-m9xd") == "CL-7KQ2-M9XD"
    assert access_codes.canonical(" CL 7KQ2 M9XD ") == "CL-7KQ2-M9XD"
    assert access_codes.canonical("cl7kq2m9xd") == "CL-7KQ2-M9XD"
    for text in ("CL-7KQ2-M9X0", "CL-7KQ2-M9XDD", "client@test.fr", "", "CL-OOOO-IIII"):
        assert access_codes.canonical(text) is None, text


def test_codes_are_unique_and_never_issued_twice(world):
    first = access_codes.issue(world.client_user)
    second = access_codes.issue(world.client_user)  # a new one: the first stops working
    assert first != second
    assert access_codes.current_code(world.client_user) == second
    assert AccessCode.objects.filter(code=first, user=None).exists()  # kept, never reissued
    # A draw that meets an issued code (even a retired one) draws again.
    with mock.patch.object(access_codes, "draw", side_effect=[first, second, "CL-2222-3333"]):
        assert access_codes.issue(world.client_user) == "CL-2222-3333"
    assert AccessCode.objects.count() == 3


def test_a_code_names_its_holder_for_the_login_and_its_throttles(world):
    code = access_codes.issue(world.client_user)
    assert access_codes.login_name(code.lower()) == world.client_user.email
    assert access_codes.login_name("CL-2345-6789") == "CL-2345-6789"  # unknown: as typed
    assert access_codes.login_name(" Client@Test.FR ") == "client@test.fr"


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_client_logs_in_with_the_code_then_the_totp_and_lands_on_the_portfolio(client, world):
    code = access_codes.issue(world.client_user)
    device = sf.enrol_with_secret(world.client_user, SECRET)
    response = login(client, code.lower().replace("-", " "))
    assert response.status_code == 302
    # Past the password, nothing but the second factor.
    portfolio = client.get(reverse("clients:portfolio"))
    assert portfolio.status_code == 302
    assert portfolio["Location"].startswith(reverse("staff:second_factor"))
    step = client.post(reverse("staff:second_factor"), {"code": totp_code(device)})
    assert step["Location"] == reverse("clients:portfolio")
    assert client.get(step["Location"]).status_code == 200


def test_a_client_without_an_app_enrols_first(client, world):
    code = access_codes.issue(world.client_user)
    login(client, code)
    step = client.get(reverse("staff:second_factor"))
    assert step["Location"] == reverse("staff:enrol")
    assert client.get(reverse("staff:enrol")).status_code == 200


def test_a_wrong_password_with_a_code_counts_against_the_account(client, world):
    code = access_codes.issue(world.client_user)
    response = login(client, code, "wrong-password-2026")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()
    assert LoginFailure.objects.get().username == world.client_user.email
    unknown = login(client, "CL-2345-6789", "wrong-password-2026")
    assert "Identifiant ou mot de passe incorrect." in unknown.content.decode()


def test_the_code_and_the_email_share_the_lockout(client, world, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    code = access_codes.issue(world.client_user)
    for username in (code, world.client_user.email, code.lower()):
        login(client, username, "wrong-password-2026")
    locked = login(client, code)
    assert locked.status_code == 429 and "Retry-After" in locked


def test_a_retired_code_no_longer_logs_in(client, world):
    old = access_codes.issue(world.client_user)
    access_codes.issue(world.client_user)
    assert login(client, old).status_code == 200  # the form again: refused


def test_staff_still_log_in_by_email(client, world):
    assert login(client, world.repairer.email).status_code == 302
