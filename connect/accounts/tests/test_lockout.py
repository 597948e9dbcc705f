"""Login throttles, driven through the login form with distinct client IPs set the way
production sees them: one trusted proxy and its X-Forwarded-For."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from connect.accounts.lockout import KNOWN_DEVICE_COOKIE, account_delay
from connect.accounts.models import LoginFailure
from connect.testing import PASSWORD, run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def attempt(client, email, password="mauvais-mot-de-passe", ip="10.0.0.1", **headers):
    client.logout()
    client.cookies.pop(KNOWN_DEVICE_COOKIE, None)  # a stranger's browser unless a test says so
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=ip,
        **headers,
    )


def fail(client, email, times, ip="10.0.0.1"):
    for _ in range(times):
        assert attempt(client, email, ip=ip).status_code == 200


def test_the_pair_is_throttled_with_a_french_message_and_retry_after(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT)
    response = attempt(client, world.repairer.email, PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    retry = int(response["Retry-After"])
    assert 0 < retry <= settings.LOGIN_COOLOFF_MINUTES * 60


def test_a_throttled_attempt_is_not_even_checked_nor_counted(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT)
    attempt(client, world.repairer.email)
    assert LoginFailure.objects.count() == settings.LOGIN_FAILURE_LIMIT


def test_an_attackers_failures_do_not_lock_the_owner_out_from_another_ip(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT, ip="203.0.113.9")
    assert attempt(client, world.repairer.email, PASSWORD, ip="203.0.113.9").status_code == 429
    assert attempt(client, world.repairer.email, PASSWORD, ip="10.9.9.9").status_code == 302


def test_one_ips_failures_do_not_lock_the_colleagues_behind_it(client, world, settings):
    for number in range(settings.LOGIN_FAILURE_LIMIT * 2):
        attempt(client, f"inconnu{number}@test.fr", ip="10.0.2.1")
    assert attempt(client, world.colleague.email, PASSWORD, ip="10.0.2.1").status_code == 302


def test_the_ip_is_throttled_only_at_its_high_threshold(client, world, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 12
    for number in range(12):
        attempt(client, f"inconnu{number}@test.fr", ip="10.0.2.2")
    response = attempt(client, world.colleague.email, PASSWORD, ip="10.0.2.2")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert attempt(client, world.colleague.email, PASSWORD, ip="10.0.2.3").status_code == 302


def test_a_success_never_clears_another_accounts_failures(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT)
    assert attempt(client, world.colleague.email, PASSWORD).status_code == 302
    assert attempt(client, world.repairer.email, PASSWORD).status_code == 429


def test_a_success_clears_its_own_pair_only(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT - 1, ip="10.0.5.1")
    fail(client, world.repairer.email, 2, ip="10.0.5.2")
    assert attempt(client, world.repairer.email, PASSWORD, ip="10.0.5.1").status_code == 302
    assert list(LoginFailure.objects.values_list("ip", flat=True)) == ["10.0.5.2"] * 2


def test_across_ips_the_account_waits_growing_delays_not_a_lock(client, world, settings):
    settings.LOGIN_ACCOUNT_DELAY_AFTER = 8
    for number in range(8):
        attempt(client, world.repairer.email, ip=f"198.51.100.{number}")
    first = attempt(client, world.repairer.email, PASSWORD, ip="10.9.9.9")
    assert first.status_code == 429
    assert int(first["Retry-After"]) == pytest.approx(settings.LOGIN_ACCOUNT_DELAY_SECONDS, abs=2)
    # The delay passes: one more failure, and the next wait is twice as long.
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=1))
    assert attempt(client, world.repairer.email, ip="198.51.100.50").status_code == 200
    second = attempt(client, world.repairer.email, PASSWORD, ip="10.9.9.9")
    assert int(second["Retry-After"]) == pytest.approx(
        2 * settings.LOGIN_ACCOUNT_DELAY_SECONDS, abs=2
    )
    # Not a lock: once the delay is over, the right password works.
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=5))
    assert attempt(client, world.repairer.email, PASSWORD, ip="10.9.9.9").status_code == 302


def test_the_delay_is_capped(settings):
    settings.LOGIN_ACCOUNT_DELAY_AFTER, settings.LOGIN_MAX_DELAY = 10, 900
    assert account_delay(9) == 0
    assert account_delay(10) == settings.LOGIN_ACCOUNT_DELAY_SECONDS
    assert account_delay(1000) == 900


def test_a_browser_that_logged_in_before_skips_the_account_wide_delay(client, world, settings):
    settings.LOGIN_ACCOUNT_DELAY_AFTER = 4
    client.post(
        reverse("login"),
        {"username": world.repairer.email, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.1",
    )
    device = client.cookies[KNOWN_DEVICE_COOKIE].value
    client.logout()
    for number in range(4):
        attempt(client, world.repairer.email, ip=f"198.51.100.{number}")
    assert attempt(client, world.repairer.email, PASSWORD, ip="10.1.1.2").status_code == 429
    client.cookies[KNOWN_DEVICE_COOKIE] = device
    response = client.post(
        reverse("login"),
        {"username": world.repairer.email, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.2",
    )
    assert response.status_code == 302
    # A forged or another account's cookie does not exempt anyone.
    client.logout()
    client.cookies[KNOWN_DEVICE_COOKIE] = device + "x"
    response = client.post(
        reverse("login"),
        {"username": world.repairer.email, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.1.1.3",
    )
    assert response.status_code == 429


def test_the_owner_is_emailed_once_when_the_account_is_attacked(client, world, settings):
    settings.LOGIN_ACCOUNT_DELAY_AFTER = 4
    for number in range(4):
        attempt(client, world.repairer.email, ip=f"198.51.100.{number}")
    for _ in range(3):
        attempt(client, world.repairer.email, ip="198.51.100.99")  # refused, not counted
    run_tasks()
    assert [message.to for message in mail.outbox] == [[world.repairer.email]]
    assert "4 tentatives de connexion" in mail.outbox[0].body
    assert "depuis 4 adresses différentes" in mail.outbox[0].body


def test_an_unknown_account_gets_no_mail_and_the_same_answers(client, world, settings):
    settings.LOGIN_ACCOUNT_DELAY_AFTER = 4
    for number in range(4):
        attempt(client, "personne@test.fr", ip=f"198.51.100.{number}")
    assert attempt(client, "personne@test.fr", ip="10.9.9.9").status_code == 429
    run_tasks()
    assert mail.outbox == []


def test_a_completed_reset_lifts_the_accounts_lock(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT)
    for number in range(settings.LOGIN_ACCOUNT_DELAY_AFTER):
        attempt(client, world.repairer.email, ip=f"198.51.100.{number}")
    assert attempt(client, world.repairer.email, PASSWORD).status_code == 429
    client.post(reverse("password_reset"), {"email": world.repairer.email})
    run_tasks()
    path = re.search(r"https?://\S+", mail.outbox[-1].body).group(0).split("8000", 1)[-1]
    new_password = "Une-toute-nouvelle-phrase-7"
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert attempt(client, world.repairer.email, new_password).status_code == 302


def test_a_spoofed_forwarded_for_does_not_change_the_address(client, world, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    for number in range(6):
        attempt(client, f"x{number}@test.fr", ip=f"1.2.3.{number}, 10.0.3.1")
    response = attempt(client, world.colleague.email, PASSWORD, ip="8.8.8.8, 10.0.3.1")
    assert response.status_code == 429


def test_the_pair_throttle_ends_after_the_cool_off(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT)
    LoginFailure.objects.update(
        at=timezone.now() - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES, seconds=1)
    )
    assert attempt(client, world.repairer.email, PASSWORD).status_code == 302


def test_staff_unlock_by_deleting_failures_and_old_ones_are_pruned(client, world, settings):
    fail(client, world.repairer.email, settings.LOGIN_FAILURE_LIMIT)
    LoginFailure.objects.filter(username=world.repairer.email).delete()
    assert attempt(client, world.repairer.email, PASSWORD).status_code == 302
    LoginFailure.objects.create(username="a@test.fr", ip="1.1.1.1")
    LoginFailure.objects.create(
        username="b@test.fr", ip="1.1.1.1", at=timezone.now() - timedelta(hours=25)
    )
    call_command("prune_login_failures", verbosity=0)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["a@test.fr"]


def test_ipv6_addresses_are_counted_by_their_64(client, world, settings):
    """A host picks any of its /64's addresses: one per attempt must not escape the pair's
    throttle, and another subscriber's block is not throttled with it."""
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        assert (
            attempt(client, world.repairer.email, ip=f"2001:db8:1:2::{n + 1:x}").status_code == 200
        )
    blocked = attempt(client, world.repairer.email, PASSWORD, ip="2001:db8:1:2:ffff::9")
    assert blocked.status_code == 429
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"2001:db8:1:2::/64"}
    assert attempt(client, world.repairer.email, PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_an_ipv4_mapped_address_counts_as_its_ipv4(client, world):
    attempt(client, world.repairer.email, ip="::ffff:192.0.2.7")
    assert list(LoginFailure.objects.values_list("ip", flat=True)) == ["192.0.2.7"]


def test_behind_the_proxy_a_proxy_count_of_zero_is_refused(settings):
    from connect.ops.checks import proxy_count_set

    settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXY_COUNT = True, 0
    assert [error.id for error in proxy_count_set(None)] == ["connect.E026"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert proxy_count_set(None) == []
    settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXY_COUNT = False, 0  # gunicorn faces clients
    assert proxy_count_set(None) == []


def test_the_deploy_check_runs_with_the_documented_proxy_settings(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXY_COUNT = True, 0
    with pytest.raises(SystemCheckError, match="connect.E026"):
        call_command("check", "--deploy", "--tag", "security")
