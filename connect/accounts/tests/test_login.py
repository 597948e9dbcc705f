import time

import pytest
from django.urls import reverse

from connect.accounts.middleware import LOGIN_AT, REFRESHED_AT
from connect.testing import PASSWORD, login_as

pytestmark = pytest.mark.django_db


def post_login(client, email, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": email, "password": password}, **extra)


def test_login_page_shows_the_guides_labels(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    for label in (
        "Identifiant",
        "Mot de passe",
        "Où trouver mon identifiant ?",
        "Mot de passe oublié",
        "Mentions légales",
        "extranet-reparateur@",
    ):
        assert label in content


def test_it_logs_a_repairer_in_with_email_in_any_case(client, world):
    response = post_login(client, "  REPARATEUR@Test.fr ")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == world.repairer


def test_login_cycles_the_session_key(client, world):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    post_login(client, world.repairer.email)
    assert client.session.session_key != before


def test_wrong_password_and_unknown_email_get_the_same_answer(client, world):
    wrong = post_login(client, world.repairer.email, "pas-le-bon-mot-de-passe")
    unknown = post_login(client, "personne@test.fr", "pas-le-bon-mot-de-passe")
    assert wrong.status_code == unknown.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in wrong.content.decode()
    assert "Identifiant ou mot de passe incorrect." in unknown.content.decode()


def test_disabled_account_cannot_log_in(client, world):
    world.repairer.is_active = False
    world.repairer.save()
    response = post_login(client, world.repairer.email)
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


def test_disabling_an_account_ends_its_live_session(client, world):
    from connect.accounts.services import set_active

    login_as(client, world.repairer)
    assert client.get(reverse("home")).status_code == 200
    set_active(world.repairer, False)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_changing_the_password_ends_other_sessions(client, world):
    login_as(client, world.repairer)
    world.repairer.set_password("Une-autre-phrase-de-passe")
    world.repairer.save()
    assert client.get(reverse("home")).status_code == 302


def test_logout_is_a_post_and_ends_the_session(client, world):
    login_as(client, world.repairer)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_every_page_but_login_reset_and_legal_requires_login(client, world):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    for name in ("login", "password_reset", "legal", "privacy"):
        assert client.get(reverse(name)).status_code == 200


def test_session_ends_after_its_absolute_lifetime(client, world, settings):
    login_as(client, world.repairer)
    session = client.session
    session[LOGIN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_session_cookie_expires_after_inactivity(client, world, settings):
    post_login(client, world.repairer.email)
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def rewind(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


def test_activity_renews_the_session_at_most_once_a_minute(client, world, settings):
    post_login(client, world.repairer.email)
    client.get(reverse("home"))
    # Within the minute: nothing written, no new cookie.
    response = client.get(reverse("home"))
    assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
    rewind(client, REFRESHED_AT, settings.SESSION_REFRESH_SECONDS)
    response = client.get(reverse("home"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert time.time() - client.session[REFRESHED_AT] < 5


def test_session_ends_exactly_after_the_idle_limit_since_its_last_renewal(client, world, settings):
    post_login(client, world.repairer.email)
    client.get(reverse("home"))
    rewind(client, REFRESHED_AT, settings.SESSION_COOKIE_AGE - 5)
    assert client.get(reverse("home")).status_code == 200  # 5 s left: alive, and renewed
    rewind(client, REFRESHED_AT, settings.SESSION_COOKIE_AGE + 1)
    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_next_parameter_cannot_redirect_off_site(client, world):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": world.repairer.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")
