"""The service worker in Chromium: the list and dossier pages the user saw open offline under
"hors ligne · données du …", any other page gives the offline page, the shell carries nobody's
name, and logging out forgets the kept pages. On a 360 px phone, axe clean."""

import re

import pytest
from playwright.sync_api import expect

from connect.testing import axe_violations, log_in


@pytest.fixture(autouse=True)
def _esd_without_guided_capture(_migrated_rows):
    """These tests are about the queue and the worker, not the guided capture: the firm has
    switched the ESD shot list off (connect/uploads/tests/test_messages.py sends guided shots
    through uploads)."""
    from connect.documents.models import ShotList

    ShotList.objects.filter(subject="esd").update(active=False)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
QUEUE_STATES = """() => new Promise((resolve, reject) => {
    const open = indexedDB.open("connect-queue");
    open.onsuccess = () => {
        const all = open.result.transaction("messages").objectStore("messages").getAll();
        all.onsuccess = () => { open.result.close(); resolve(all.result.map((r) => r.state)); };
    };
    open.onerror = () => reject(open.error);
})"""
BANNER = re.compile(r"^hors ligne · données du \d\d/\d\d à \d\d:\d\d$")


def cached_paths(page, cache):
    return page.evaluate(
        """async (name) => {
            if (!(await caches.has(name))) return null;
            const keys = await (await caches.open(name)).keys();
            return keys.map((request) => new URL(request.url).pathname).sort();
        }""",
        cache,
    )


def test_the_pages_seen_open_offline_with_the_date_of_their_data(live_server, page, world):
    context = page.context
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, world.repairer)
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    dossier_url = f"{live_server.url}/dossiers/{world.dossier_a.code}/"
    page.goto(f"{live_server.url}/")  # now through the worker: kept
    page.goto(dossier_url)
    expect(page.locator("h1, h2").first).to_be_visible()
    kept = cached_paths(page, "connect-pages")
    assert kept == ["/", f"/dossiers/{world.dossier_a.code}/"]

    context.set_offline(True)
    page.goto(dossier_url)
    banner = page.locator("[data-offline-banner]")
    expect(banner).to_have_text(BANNER)
    expect(page.locator("body")).to_contain_text(world.dossier_a.reference)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []

    page.goto(f"{live_server.url}/")
    expect(page.locator("[data-offline-banner]")).to_have_text(BANNER)

    page.goto(f"{live_server.url}/aide/")  # never opened: the offline page
    expect(page.get_by_role("heading", name="Vous êtes hors ligne")).to_be_visible()
    assert world.repairer.email not in page.content()  # the shell is nobody's
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []

    context.set_offline(False)
    page.goto(dossier_url)
    expect(page.locator("[data-offline-banner]")).to_have_count(0)  # network first
    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(r".*/connexion/.*"))
    page.wait_for_function("async () => !(await caches.has('connect-pages'))")
    assert cached_paths(page, "connect-pages") is None
    shell = page.evaluate("caches.keys()")
    assert [name for name in shell if name.startswith("connect-shell-")]


def test_nothing_but_the_pages_is_kept(live_server, page, world):
    """A download, the API, a POST: none of them is ever in the worker's caches."""
    from connect.documents.tests.helpers import add_photo

    document = add_photo(world.dossier_a)
    log_in(page, live_server, world.repairer)
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/documents/{document.code}/")
    page.goto(f"{live_server.url}/api/v1/openapi.json")
    page.goto(f"{live_server.url}/")
    assert cached_paths(page, "connect-pages") == ["/"]


def test_a_message_written_on_a_kept_composer_offline_is_sent_when_back(
    live_server, page, world, tmp_path
):
    """The whole workshop case: the composer opened once, the network gone, the page opened
    again from the worker's copy, a photo taken and typed, sent when the network returns."""
    from connect.documents.samples import jpeg
    from connect.messaging.models import Message
    from connect.uploads.models import Upload

    photo = tmp_path / "choc-avant.jpg"
    photo.write_bytes(jpeg((800, 600), label="choc avant"))
    context = page.context
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, world.repairer)
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    composer = f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=expert"
    page.goto(composer)

    context.set_offline(True)
    page.goto(composer)
    expect(page.locator("[data-offline-banner]")).to_have_text(BANNER)
    page.fill("textarea[name=body]", "La photo du choc avant.")
    page.set_input_files("#id_files", str(photo))
    page.locator("[data-file-list] select").first.select_option(label="Diagnostic")
    page.get_by_role("button", name="Envoyer").click()
    queue = page.locator("[data-queue-region]")
    expect(queue.locator("[data-file-state]")).to_have_text(["en attente"])
    assert axe_violations(page) == []
    assert not Message.objects.exists()

    context.set_offline(False)
    expect(queue.locator("[data-queue-state]")).to_have_attribute(
        "data-queue-state", "sent", timeout=30_000
    )
    expect(queue.locator("[data-file-state]")).to_have_text(["envoyé"])
    message = Message.objects.get()
    assert message.body == "La photo du choc avant."
    assert [(d.original_name, d.doc_type) for d in message.documents.all()] == [
        ("choc-avant.jpg", "diagnostic")
    ]
    assert Upload.objects.get().metadata == {"types": "diagnostic"}


def test_background_sync_sends_the_queue_with_no_page_of_the_portal_at_work(
    live_server, page, world, tmp_path
):
    """The phone's browser wakes the worker when the network is back (Background Sync, fired
    here through the DevTools protocol as Chromium fires it): the worker sends the queue."""
    from connect.documents.samples import jpeg
    from connect.messaging.models import Message

    photo = tmp_path / "compteur.jpg"
    photo.write_bytes(jpeg((640, 480), label="compteur"))
    context = page.context
    log_in(page, live_server, world.repairer)
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=esd")
    context.set_offline(True)
    page.set_input_files("#id_files", str(photo))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("[data-file-state]")).to_have_text(["en attente"])
    context.set_offline(False)
    page.goto(f"{live_server.url}/aide/")  # a page without the queue: nothing sends from here
    assert not Message.objects.exists()

    cdp = context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(r for r in e["registrations"] if not r["isDeleted"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_timeout(200)  # lets the registration event arrive (waiting, not asserting)
    assert registrations
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registrations[0]["registrationId"],
            "tag": "connect-queue",
            "lastChance": False,
        },
    )
    states = []
    for _ in range(150):  # the queue's own record says when the worker is done
        states = page.evaluate(QUEUE_STATES)
        if states and states[0] != "waiting" and states[0] != "sending":
            break
        page.wait_for_timeout(200)
    assert states == ["sent"]
    message = Message.objects.get()
    assert [d.original_name for d in message.documents.all()] == ["compteur.jpg"]
