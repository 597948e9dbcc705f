"""In Chromium at 360 px: the push panel of the preferences page, and the service worker's
push handler (connect/static/js/sw-push.js) showing what a push carries.

Until the offline app's /sw.js is merged, the second test serves a /sw.js of its own from this
module's URLconf: the one line the real one starts with, importScripts of sw-push.js."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import include, path
from playwright.sync_api import expect

from connect.push.models import PushSubscription
from connect.testing import log_in


def service_worker_for_this_test(request):
    body = f'importScripts("{static("js/sw-push.js")}");\n'
    return HttpResponse(body, content_type="text/javascript")


urlpatterns = [path("sw.js", service_worker_for_this_test), path("", include("connect.urls"))]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 780}, has_touch=True)
    yield context
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_panel_asks_permission_only_on_a_click(phone, live_server, world, vapid):
    PushSubscription.objects.create(  # another device of theirs, listed with "Retirer"
        user=world.repairer,
        endpoint="https://fcm.googleapis.com/fcm/send/x",
        p256dh="k",
        auth="a",
        user_agent_label="Firefox · Windows",
    )
    page = phone.new_page()
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/notifications/")
    panel = page.locator("#notifications-push")
    expect(panel.get_by_role("button", name="Retirer Firefox · Windows")).to_be_visible()
    expect(panel.get_by_role("status")).to_have_text("Notifications désactivées sur cet appareil.")
    assert page.evaluate("Notification.permission") == "default"  # nothing asked on load
    expect(panel.get_by_label("Un document publié")).to_be_checked()
    activate = panel.get_by_role("button", name="Activer sur cet appareil", exact=True)
    expect(panel.get_by_role("button", name="Désactiver sur cet appareil")).to_be_hidden()
    activate.scroll_into_view_if_needed()
    expect(activate).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll

    phone.grant_permissions(["notifications"], origin=live_server.url)
    activate.click()
    # Headless Chromium has no push service: the portal's worker is there, the subscription
    # fails, and the panel says so in French (nothing recorded on the server).
    expect(panel.get_by_role("status")).to_contain_text(
        "Activation impossible : ce navigateur n'a pas pu s'abonner"
    )
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r)") is True
    assert PushSubscription.objects.filter(user=world.repairer).count() == 1

    panel.get_by_label("Un document publié").uncheck()
    panel.get_by_role("button", name="Enregistrer mes choix push").click()
    expect(
        page.get_by_text("Vos préférences de notification push sont enregistrées.")
    ).to_be_visible()
    expect(
        page.locator("#notifications-push").get_by_label("Un document publié")
    ).not_to_be_checked()
    violations = [(v["id"], v["help"]) for v in Axe().run(page).response["violations"]]
    assert violations == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_service_worker_shows_a_push_with_the_dossier_link(
    phone, live_server, world, vapid, settings
):
    settings.ROOT_URLCONF = __name__
    phone.grant_permissions(["notifications"], origin=live_server.url)
    page = phone.new_page()
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/notifications/")
    page.evaluate(
        "navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready)"
    )

    cdp = phone.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(50):  # the registration is reported as an event, soon after enable
        if registrations:
            break
        page.wait_for_timeout(100)
    registration_id = registrations[0]["registrationId"]
    data = {
        "kind": "firm_reply",
        "title": "Nouvelle réponse du cabinet",
        "body": "Dossier 99677",
        "url": "/dossiers/x/messages/",
        "tag": "firm_reply:99677",
    }
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration_id, "data": json.dumps(data)},
    )
    shown = page.wait_for_function(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          const [n] = await registration.getNotifications();
          return n && {title: n.title, body: n.body, tag: n.tag, url: n.data.url};
        }"""
    ).json_value()
    assert shown == {
        "title": data["title"],
        "body": "Dossier 99677",
        "tag": "firm_reply:99677",
        "url": "/dossiers/x/messages/",
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_choices_still_save(browser, live_server, world, vapid):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 780})
    page = context.new_page()
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/notifications/")
    panel = page.locator("#notifications-push")
    expect(panel.get_by_role("status")).to_have_text(
        "Activez JavaScript pour recevoir des notifications sur cet appareil."
    )
    expect(panel.get_by_role("button", name="Activer sur cet appareil", exact=True)).to_be_hidden()
    panel.get_by_label("Une réponse du cabinet").uncheck()
    panel.get_by_role("button", name="Enregistrer mes choix push").click()
    expect(
        page.locator("#notifications-push").get_by_label("Une réponse du cabinet")
    ).not_to_be_checked()
    context.close()
