"""Subscribing and unsubscribing a browser: the page's JSON endpoints and the devices list."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from connect.push.models import PushKind, PushPreference, PushSubscription
from connect.push.tests.helpers import subscribe
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def post_json(client, name, data):
    return client.post(reverse(name), json.dumps(data), content_type="application/json")


def test_a_subscription_is_recorded_and_turns_every_kind_on(client, world, push_service):
    browser = push_service.browser()
    response = subscribe(client, world.repairer, browser)
    assert response.status_code == 201
    assert response.json()["message"] == "Notifications activées sur cet appareil."
    subscription = PushSubscription.objects.get()
    assert (subscription.user, subscription.endpoint) == (world.repairer, browser.endpoint)
    assert subscription.info() == browser.subscription()
    enabled = PushPreference.objects.filter(user=world.repairer, enabled=True)
    assert sorted(enabled.values_list("kind", flat=True)) == sorted(PushKind.values)


def test_subscribing_again_keeps_one_row_and_the_users_choices(client, world, push_service):
    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    PushPreference.objects.filter(kind=PushKind.DOCUMENT_PUBLISHED).update(enabled=False)
    assert subscribe(client, world.repairer, browser).status_code == 201
    assert PushSubscription.objects.count() == 1
    assert not PushPreference.objects.get(kind=PushKind.DOCUMENT_PUBLISHED).enabled


def test_a_browser_left_by_another_login_becomes_the_new_users(client, world, push_service):
    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    subscribe(client, world.colleague, browser)
    assert PushSubscription.objects.get().user == world.colleague


def test_the_owner_unsubscribes_their_browser(client, world, push_service):
    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    response = post_json(client, "push:unsubscribe", {"endpoint": browser.endpoint})
    assert response.status_code == 200
    assert not PushSubscription.objects.exists()


def test_a_user_cannot_delete_another_users_subscription(client, world, push_service):
    browser = push_service.browser()
    subscribe(client, world.repairer, browser)
    subscription = PushSubscription.objects.get()

    for user in (world.colleague, world.other_repairer, world.expert):
        login_as(client, user)
        response = post_json(client, "push:unsubscribe", {"endpoint": browser.endpoint})
        assert response.status_code == 404
        remove = client.post(reverse("push:remove_device"), {"subscription": subscription.pk})
        assert remove.status_code == 404
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_devices_list_removes_one_device(client, world, push_service):
    phone, desktop = push_service.browser(), push_service.browser()
    subscribe(client, world.repairer, phone)
    subscribe(client, world.repairer, desktop)
    page = client.get(reverse("messaging:preferences"))
    assert page.content.decode().count("Chrome · Android, depuis le") == 2

    target = PushSubscription.objects.get(endpoint=phone.endpoint)
    response = client.post(
        reverse("push:remove_device"),
        {"subscription": target.pk, "next": reverse("messaging:preferences")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("messaging:preferences")
    assert [s.endpoint for s in PushSubscription.objects.all()] == [desktop.endpoint]


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://10.0.0.5/push/x",  # our own network, not a push service
        "https://169.254.169.254/latest/meta-data",
        "https://evil.example/fcm.googleapis.com",
        "https://fcm.googleapis.com.evil.example/send/x",
        "ftp://fcm.googleapis.com/x",
    ],
)
def test_an_endpoint_outside_the_push_services_is_refused(client, world, push_service, endpoint):
    data = {**push_service.browser().subscription(), "endpoint": endpoint}
    login_as(client, world.repairer)
    response = post_json(client, "push:subscribe", data)
    assert response.status_code == 400
    assert response.json()["error"] == "Ce service de notification n'est pas accepté."
    assert not PushSubscription.objects.exists()


# Each read as Google's host by urllib.parse, but not by urllib3, which sends the push; or a
# form no push service gives (user info, a port, non-ASCII, an address instead of a name).
@pytest.mark.parametrize(
    "endpoint",
    [
        "https://attacker.example\\@fcm.googleapis.com/fcm/send/x",  # urllib3: attacker.example
        "https://127.0.0.1\\.fcm.googleapis.com/fcm/send/x",  # urllib3: 127.0.0.1
        "https://user@fcm.googleapis.com/fcm/send/x",
        "https://user:secret@fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com:8443/fcm/send/x",
        "https://fcm.googleapis.com:443/fcm/send/x",
        "https://évil.fcm.googleapis.com/fcm/send/x",
        "https://fcm.googleapis.com/fcm/send/\u2028x",
        "http://127.0.0.1:6379/",  # the loopback, but not the push tests' server
        "http://127.0.0.1/push/x",
    ],
)
def test_an_endpoint_the_sender_would_read_otherwise_is_refused(
    client, world, push_service, endpoint
):
    data = {**push_service.browser().subscription(), "endpoint": endpoint}
    login_as(client, world.repairer)
    response = post_json(client, "push:subscribe", data)
    assert response.status_code == 400
    assert response.json()["error"] == "Ce service de notification n'est pas accepté."
    assert not PushSubscription.objects.exists()


def test_the_loopback_server_is_refused_unless_the_tests_name_it(
    client, world, push_service, settings
):
    settings.PUSH_TEST_SERVICE = ""
    login_as(client, world.repairer)
    response = post_json(client, "push:subscribe", push_service.browser().subscription())
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_the_loopback_exception_is_refused_outside_the_tests(settings):
    from connect.push.checks import no_push_test_service

    settings.PUSH_TEST_SERVICE = "http://127.0.0.1:18450"
    settings.TESTING = False
    assert [error.id for error in no_push_test_service(None)] == ["connect.E028"]
    settings.PUSH_TEST_SERVICE = ""
    assert no_push_test_service(None) == []


def test_a_known_push_service_is_accepted(client, world, push_service):
    login_as(client, world.repairer)
    data = {
        **push_service.browser().subscription(),
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc:def",
    }
    assert post_json(client, "push:subscribe", data).status_code == 201


@pytest.mark.parametrize(
    "keys", [{}, {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, {"p256dh": None}]
)
def test_malformed_keys_are_refused(client, world, push_service, keys):
    login_as(client, world.repairer)
    data = {**push_service.browser().subscription(), "keys": keys}
    assert post_json(client, "push:subscribe", data).status_code == 400
    assert post_json(client, "push:subscribe", "not an object").status_code == 400
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_the_csrf_token(world, push_service):
    client = Client(enforce_csrf_checks=True)
    login_as(client, world.repairer)
    response = post_json(client, "push:subscribe", push_service.browser().subscription())
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_subscribing_is_for_logged_in_users(client, push_service):
    response = post_json(client, "push:subscribe", push_service.browser().subscription())
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_with_push_off_nothing_is_subscribed(client, world, push_service, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    login_as(client, world.repairer)
    response = post_json(client, "push:subscribe", push_service.browser().subscription())
    assert response.status_code == 409
    assert "ne sont pas activées" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_user_keeps_only_their_ten_newest_browsers(client, world, push_service):
    browsers = [push_service.browser() for _ in range(12)]
    for browser in browsers:
        subscribe(client, world.repairer, browser)
    kept = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert kept == {browser.endpoint for browser in browsers[2:]}
