"""The pages the phone keeps offline are one user's and one session's (issue 25, "The workshop
phone forgets a user who is gone"): a session that ends without a logout click, another user
on the same browser, the session's absolute end; and logging out drops the push subscription.
In Chromium, through the real service worker (/sw.js)."""

import time
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from connect.accounts.middleware import REFRESHED_AT
from connect.push.models import PushSubscription
from connect.testing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFLINE = "Vous êtes hors ligne"


@pytest.fixture(autouse=True)
def _esd_without_guided_capture(_migrated_rows):
    """As in test_offline_browser.py: these tests are about the worker's caches."""
    from connect.documents.models import ShotList

    ShotList.objects.filter(subject="esd").update(active=False)


def log_in_under_the_worker(page, live_server, user):
    log_in(page, live_server, user)
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def keep_pages(page, live_server, world):
    """The home list and a dossier, opened through the worker: kept."""
    page.goto(f"{live_server.url}/")
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/")
    expect(page.locator("body")).to_contain_text(world.dossier_a.reference)
    assert page.evaluate("caches.has('connect-pages')") is True


def session_key(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def shows_nothing_offline(page, url):
    page.context.set_offline(True)
    page.goto(url)
    expect(page.get_by_role("heading", name=OFFLINE)).to_be_visible()
    page.context.set_offline(False)


def test_a_session_ended_by_its_idle_timeout_leaves_nothing_offline(
    live_server, page, world, settings
):
    log_in_under_the_worker(page, live_server, world.repairer)
    keep_pages(page, live_server, world)
    # The phone is left: the session times out on the server, nobody clicks "Se déconnecter".
    session = import_module(django_settings.SESSION_ENGINE).SessionStore(session_key(page))
    session[REFRESHED_AT] = time.time() - settings.SESSION_COOKIE_AGE - 60
    session.save()

    page.goto(f"{live_server.url}/")  # the next person: sent to the login page
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    page.wait_for_function("async () => !(await caches.has('connect-pages'))")

    shows_nothing_offline(page, f"{live_server.url}/")
    shows_nothing_offline(page, f"{live_server.url}/dossiers/{world.dossier_a.code}/")


def test_another_user_on_the_same_browser_never_sees_the_first_ones_pages(live_server, page, world):
    log_in_under_the_worker(page, live_server, world.repairer)
    keep_pages(page, live_server, world)
    # A message of the first user waits in the phone's queue.
    page.evaluate(
        """(user) => new Promise((resolve, reject) => {
            const open = indexedDB.open("connect-queue", 1);
            open.onupgradeneeded = () => {  // as queue.js creates it
                open.result.createObjectStore("messages", {keyPath: "id", autoIncrement: true});
                open.result.createObjectStore("meta", {keyPath: "key"});
            };
            open.onsuccess = () => {
                const tx = open.result.transaction("messages", "readwrite");
                tx.objectStore("messages").put({state: "waiting", user, files: [], fields: []});
                tx.oncomplete = () => { open.result.close(); resolve(); };
                tx.onerror = () => reject(tx.error);
            };
            open.onerror = () => reject(open.error);
        })""",
        str(world.repairer.pk),
    )
    # Another user's session arrives by a way the worker never saw (a login in another tab
    # before the worker took this one, a session cookie of theirs): only the pages tell.
    other = Client()
    other.force_login(world.other_repairer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": other.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/")
    expect(page.locator("body")).not_to_contain_text(world.dossier_a.reference)
    page.wait_for_function(
        """async () => {
            const keys = await (await caches.open('connect-pages')).keys();
            return keys.length === 1;
        }"""
    )

    shows_nothing_offline(page, f"{live_server.url}/dossiers/{world.dossier_a.code}/")
    queued = page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("connect-queue", 1);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
                const all = open.result.transaction("messages").objectStore("messages").getAll();
                all.onsuccess = () => {
                    open.result.close();
                    resolve(all.result.map((r) => r.user));
                };
            };
        })"""
    )
    assert queued == []


def test_the_pages_kept_go_with_the_sessions_absolute_end(live_server, page, world, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 20
    started = time.monotonic()
    log_in_under_the_worker(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/")
    assert page.evaluate("caches.has('connect-pages')") is True
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-offline-banner]")).to_be_visible()  # within the session: kept

    # The phone stays offline past the session's end.
    page.wait_for_timeout(max(0.0, started + 21 - time.monotonic()) * 1000)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=OFFLINE)).to_be_visible()
    page.context.set_offline(False)


def test_the_pages_kept_go_with_the_sessions_idle_end_on_a_phone_that_stays_offline(
    live_server, page, world, settings
):
    """The session would end idle on the server; the phone, offline, never hears of it: the
    pages it keeps say when, counted from the last one kept."""
    settings.SESSION_COOKIE_AGE = 20
    settings.SESSION_REFRESH_SECONDS = 3600
    log_in_under_the_worker(page, live_server, world.repairer)
    started = time.monotonic()
    page.goto(f"{live_server.url}/")
    ends = page.evaluate(
        """async () => {
            const cache = await caches.open('connect-pages');
            const hit = await cache.match((await cache.keys())[0]);
            return Number(hit.headers.get('X-Connect-Session-Ends'));
        }"""
    )
    now_ms = time.time() * 1000
    assert now_ms < ends <= now_ms + 20_000  # idle end, long before the absolute one
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-offline-banner]")).to_be_visible()  # within the session: kept

    page.wait_for_timeout(max(0.0, started + 21 - time.monotonic()) * 1000)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=OFFLINE)).to_be_visible()
    page.context.set_offline(False)


def test_logging_out_drops_this_browsers_push_subscription(live_server, page, world):
    """Headless Chromium has no push service: the browser's PushManager is given a
    subscription here, as the phone's would be; the portal must take it back at logout."""
    endpoint = "https://fcm.googleapis.com/fcm/send/this-phone"
    PushSubscription.objects.create(
        user=world.repairer, endpoint=endpoint, p256dh="k", auth="a", user_agent_label="Chrome"
    )
    page.add_init_script(
        """(() => {
            const subscription = {
                endpoint: "ENDPOINT",
                unsubscribe: async () => {
                    localStorage.setItem("push-unsubscribed", "1");
                    return true;
                },
            };
            PushManager.prototype.getSubscription = async function () {
                return localStorage.getItem("push-unsubscribed") ? null : subscription;
            };
        })()""".replace("ENDPOINT", endpoint)
    )
    log_in_under_the_worker(page, live_server, world.repairer)

    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{live_server.url}/connexion/")

    assert page.evaluate("localStorage.getItem('push-unsubscribed')") == "1"
    assert not PushSubscription.objects.filter(endpoint=endpoint).exists()
