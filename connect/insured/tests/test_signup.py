"""Signing up and logging in by e-mail: one answer for every address, mail only where a
dossier is followed, single-use expiring links, throttles."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from connect.accounts.models import Role, User
from connect.insured.tests.helpers import follow, mails_to, path_in
from connect.insured.tokens import login_link_token, signup_token
from connect.testing import PASSWORD, login_as, run_tasks

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Ma-voiture-rouge-2027"
OWNER = "marie.dupont@exemple.fr"


def ask_signup(client, email, **extra):
    return client.post(reverse("insured:signup"), {"email": email}, **extra)


def choose_password(client, path):
    page = client.get(path, follow=True)
    assert page.context["validlink"]
    return client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )


def test_known_unknown_and_professional_addresses_get_the_same_page(client, world):
    follow(world.dossier_a, OWNER)
    follow(world.dossier_b, world.repairer.email)  # a repairer named as an insured
    answers = [
        ask_signup(client, address)
        for address in (OWNER, "inconnu@exemple.fr", world.repairer.email, world.expert.email)
    ]
    assert {response.status_code for response in answers} == {302}
    assert {response["Location"] for response in answers} == {reverse("insured:signup_sent")}
    page = client.get(reverse("insured:signup_sent"))
    assert "Si cette adresse correspond à un dossier" in page.content.decode()
    run_tasks()
    # The owner gets the link; the repairer with a dossier is told by e-mail; the others nothing.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([OWNER, world.repairer.email])
    [told] = mails_to(world.repairer.email)
    assert "ne peut donc pas devenir un compte assuré" in told.body and "http" not in told.body
    world.repairer.refresh_from_db()
    assert world.repairer.role == Role.REPAIRER and world.repairer.check_password(PASSWORD)
    assert not User.objects.filter(email="inconnu@exemple.fr").exists()


def test_the_link_sets_a_password_logs_in_and_serves_once(client, world):
    follow(world.dossier_a, OWNER)
    ask_signup(client, " Marie.Dupont@EXEMPLE.fr ")
    [message] = mails_to(OWNER)
    path = path_in(message)
    done = choose_password(client, path)
    assert done.status_code == 302 and done["Location"] == reverse("insured:home")
    user = User.objects.get(email=OWNER)
    assert user.role == Role.INSURED and user.check_password(NEW_PASSWORD)
    assert client.get(reverse("insured:home")).status_code == 200  # logged in
    client.logout()
    assert client.get(path, follow=True).context["validlink"] is False


def test_the_signup_link_refuses_a_weak_password(client, world):
    follow(world.dossier_a, OWNER)
    ask_signup(client, OWNER)
    page = client.get(path_in(mails_to(OWNER)[0]), follow=True)
    weak = client.post(
        page.redirect_chain[-1][0], {"new_password1": "azerty", "new_password2": "azerty"}
    )
    assert weak.status_code == 200 and weak.context["form"].errors
    assert not User.objects.get(email=OWNER).has_usable_password()


def later(monkeypatch, generator, delta):
    """The token generator's clock, moved on by `delta`."""
    monkeypatch.setattr(generator, "_now", lambda: datetime.now() + delta)


def test_the_signup_link_expires_after_a_day(client, world, monkeypatch):
    follow(world.dossier_a, OWNER)
    ask_signup(client, OWNER)
    path = path_in(mails_to(OWNER)[0])
    later(monkeypatch, signup_token, timedelta(hours=23, minutes=59))
    assert client.get(path, follow=True).context["validlink"] is True
    later(monkeypatch, signup_token, timedelta(hours=24, minutes=1))
    assert client.get(path, follow=True).context["validlink"] is False


def test_an_address_whose_dossier_is_not_followable_gets_no_mail(client, world):
    follow(world.dossier_a, OWNER, insured_access=False)
    ask_signup(client, OWNER)
    assert mails_to(OWNER) == []
    assert not User.objects.filter(email=OWNER).exists()


def test_sign_up_requests_are_throttled_per_address_and_per_ip(client, world, settings):
    settings.INSURED_LINKS_PER_ADDRESS_PER_HOUR = 2
    settings.INSURED_LINKS_PER_IP_PER_HOUR = 3
    follow(world.dossier_a, OWNER)
    follow(world.dossier_b, "paul@exemple.fr")
    for _ in range(3):
        assert ask_signup(client, OWNER).status_code == 302
    assert len(mails_to(OWNER)) == 2  # the third: the same page, no mail (and not counted)
    ask_signup(client, "paul@exemple.fr")
    assert ask_signup(client, "paul@exemple.fr").status_code == 302  # the IP's 4th request
    assert len(mails_to("paul@exemple.fr")) == 1
    other_ip = ask_signup(client, "paul@exemple.fr", REMOTE_ADDR="203.0.113.9")
    assert other_ip.status_code == 302 and len(mails_to("paul@exemple.fr")) == 2


def test_a_malformed_address_is_a_clear_error(client, world):
    response = ask_signup(client, "pas une adresse")
    assert response.status_code == 400
    assert "adresse" in response.content.decode().lower()


def test_the_login_link_logs_in_once_within_15_minutes(client, world, monkeypatch):
    follow(world.dossier_a, world.insured.email)
    client.post(reverse("insured:login_link"), {"email": world.insured.email})
    client.post(reverse("insured:login_link"), {"email": "inconnu@exemple.fr"})
    client.post(reverse("insured:login_link"), {"email": world.repairer.email})
    run_tasks()
    assert [message.to for message in mail.outbox] == [[world.insured.email]]
    path = path_in(mail.outbox[0])
    assert client.get(path).status_code == 200  # a mail scanner's visit spends nothing
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("insured:home")
    assert client.get(reverse("insured:home")).status_code == 200
    client.logout()
    assert client.post(path).status_code == 400  # spent by the login
    client.post(reverse("insured:login_link"), {"email": world.insured.email})
    run_tasks()
    late = path_in(mail.outbox[-1])
    later(monkeypatch, login_link_token, timedelta(minutes=16))
    assert client.post(late).status_code == 400


def test_a_login_link_opens_no_other_door(client, world):
    """A sign-up link is no login link, and a login link of a repairer is never made."""
    follow(world.dossier_a, world.insured.email)
    client.post(reverse("insured:signup"), {"email": world.insured.email})
    [message] = mails_to(world.insured.email)
    uid, token = path_in(message).strip("/").split("/")[-2:]
    opened = client.post(reverse("insured:login_link_open", args=[uid, token]))
    assert opened.status_code == 400


def test_after_login_the_insured_lands_on_their_space(client, world):
    response = client.post(
        reverse("login"), {"username": world.insured.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("insured:home")
    assert client.get(reverse("home")).status_code == 404
    client.logout()
    repairer = client.post(
        reverse("login"), {"username": world.repairer.email, "password": PASSWORD}
    )
    assert repairer["Location"] == reverse("home")


def test_the_login_page_offers_sign_up_and_says_what_each_person_uses(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Première connexion en tant qu'assuré ?" in page
    assert reverse("insured:signup") in page and reverse("insured:login_link") in page
    assert "un assuré : vous devez utiliser votre adresse e-mail" in page
    assert "code d'accès fourni par votre gestionnaire de compte" in page


def test_a_logged_in_insured_is_not_a_repairer(client, world):
    login_as(client, world.insured)
    assert client.get(reverse("login"))["Location"] == reverse("insured:home")
