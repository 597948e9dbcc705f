import re

import pytest
from django.core import mail
from django.urls import reverse

from connect.accounts.tokens import reset_token
from connect.testing import run_tasks

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Carrosserie-du-parc-2027"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def request_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_reset_sends_a_single_use_link_through_the_queue(client, world):
    response = request_reset(client, "Reparateur@test.fr")
    assert response.status_code == 302
    assert mail.outbox == []  # nothing leaves inside the request
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world.repairer.email]
    assert "mot de passe" in message.subject
    assert "Demo" not in message.body and world.repairer.password not in message.body
    assert message.alternatives and "<a href=" in message.alternatives[0][0]

    path = link_in(message).split("8000", 1)[-1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    world.repairer.refresh_from_db()
    assert world.repairer.check_password(NEW_PASSWORD)
    # The link has served: it no longer opens the form.
    assert client.get(path, follow=True).context["validlink"] is False


def test_unknown_email_gets_the_same_answer_and_no_mail(client, world):
    known = request_reset(client, world.repairer.email)
    unknown = request_reset(client, "personne@test.fr")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    run_tasks()
    assert [m.to for m in mail.outbox] == [[world.repairer.email]]


def test_reset_rejects_a_weak_password(client, world):
    request_reset(client, world.repairer.email)
    run_tasks()
    path = link_in(mail.outbox[0]).split("8000", 1)[-1]
    page = client.get(path, follow=True)
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": "azerty", "new_password2": "azerty"}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "12 caractères" in errors
    world.repairer.refresh_from_db()
    assert not world.repairer.check_password("azerty")


def test_reset_link_expires(world, settings):
    token = reset_token.make_token(world.repairer)
    assert reset_token.check_token(world.repairer, token)
    settings.RESET_LINK_MAX_AGE = -1
    assert not reset_token.check_token(world.repairer, token)


def test_common_and_similar_passwords_are_refused(world):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("motdepasse123", "reparateur@test.fr", "azertyuiop12"):
        with pytest.raises(ValidationError):
            validate_password(weak, world.repairer)
    validate_password("le garage ouvre à huit heures", world.repairer)


def test_the_done_page_says_the_message_is_queued_not_sent(client):
    # The worker sends later (and retries): the page must not claim a delivery it cannot know.
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "en file d'envoi" in page and "Si cette adresse correspond à un compte" in page
    assert "vient de lui être envoyé" not in page
