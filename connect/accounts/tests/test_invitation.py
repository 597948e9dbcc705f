import re

import pytest
from django.core import mail
from django.urls import reverse

from connect.accounts.models import Membership, Role, User
from connect.accounts.services import invite_repairer
from connect.accounts.tokens import invitation_token, reset_token
from connect.testing import run_tasks

pytestmark = pytest.mark.django_db
PASSWORD = "Mon-atelier-de-carrosserie"


def test_invited_repairer_sets_a_password_then_logs_in(client, world):
    user = invite_repairer(
        garage=world.garage_a, email="Nouveau@Garage-A.fr", full_name="Jean Nouveau"
    )
    assert user.email == "nouveau@garage-a.fr" and user.role == Role.REPAIRER
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, garage=world.garage_a).exists()
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["nouveau@garage-a.fr"] and "Garage A" in message.body
    path = re.search(r"https?://\S+", message.body).group(0).split("8000", 1)[-1]

    page = client.get(path, follow=True)
    assert page.context["validlink"]
    response = client.post(
        page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("login")
    login = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == reverse("home")
    # Single use: the same link is now dead.
    client.post(reverse("logout"))
    assert client.get(path, follow=True).context["validlink"] is False


def test_an_invitation_link_is_not_a_reset_link_and_vice_versa(world):
    user = invite_repairer(garage=world.garage_a, email="x@garage-a.fr", full_name="X")
    assert not reset_token.check_token(user, invitation_token.make_token(user))
    assert not invitation_token.check_token(user, reset_token.make_token(user))


def test_invitation_expires(world, settings):
    user = invite_repairer(garage=world.garage_a, email="y@garage-a.fr", full_name="Y")
    token = invitation_token.make_token(user)
    settings.INVITATION_LINK_MAX_AGE = -1
    assert not invitation_token.check_token(user, token)


def test_inviting_an_existing_repairer_to_a_second_garage_sends_nothing(world):
    invite_repairer(garage=world.garage_b, email=world.repairer.email, full_name="")
    run_tasks()
    assert mail.outbox == []
    assert set(world.repairer.garages.all()) == {world.garage_a, world.garage_b}
    assert User.objects.filter(email=world.repairer.email).count() == 1
