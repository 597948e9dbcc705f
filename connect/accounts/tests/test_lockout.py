import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from connect.testing import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, email, password="mauvais-mot-de-passe", ip="10.0.0.1", **headers):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **headers
    )


def test_account_is_locked_after_repeated_failures_with_a_french_message(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, world.repairer.email)
    response = attempt(client, world.repairer.email, PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()


def test_lockout_is_per_account_across_addresses(client, world, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, world.repairer.email, ip=f"10.0.1.{number}")
    assert attempt(client, world.repairer.email, PASSWORD, ip="10.9.9.9").status_code == 429
    # Another account from a clean address is not affected.
    assert attempt(client, world.colleague.email, PASSWORD, ip="10.8.8.8").status_code == 302


def test_lockout_is_per_address_across_accounts(client, world, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"inconnu{number}@test.fr", ip="10.0.2.1")
    assert attempt(client, world.colleague.email, PASSWORD, ip="10.0.2.1").status_code == 429


def test_a_spoofed_forwarded_for_header_does_not_reset_the_address(client, world, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"x{number}@test.fr", ip="10.0.3.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{number}")
    response = attempt(
        client, world.colleague.email, PASSWORD, ip="10.0.3.1", HTTP_X_FORWARDED_FOR="8.8.8.8"
    )
    assert response.status_code == 429


def test_lockout_ends_after_the_cool_off(client, world, settings):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, world.repairer.email)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert attempt(client, world.repairer.email, PASSWORD, ip="10.0.4.1").status_code == 302


def test_staff_can_unlock_an_account(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, world.repairer.email)
    reset(username=world.repairer.email)
    reset(ip="10.0.0.1")
    assert attempt(client, world.repairer.email, PASSWORD).status_code == 302
