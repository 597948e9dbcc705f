"""The phone's queue in Chromium: a multi-photo message composed offline waits on the phone, goes
up in chunks when the network is back, survives a cut mid-upload by resuming from the server's
offset, and arrives once with all its files; a chunk altered on the way is refused and sent
again. On a 360 px phone, axe clean."""

import hashlib
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from connect.documents.models import Document
from connect.messaging.models import Message, Thread
from connect.testing import axe_violations, log_in
from connect.uploads.limits import CHUNK_BYTES
from connect.uploads.models import Upload, UploadState


@pytest.fixture(autouse=True)
def _esd_without_guided_capture(_migrated_rows):
    """These tests are about the queue and the worker, not the guided capture: the firm has
    switched the ESD shot list off (connect/uploads/tests/test_messages.py sends guided shots
    through uploads)."""
    from connect.documents.models import ShotList

    ShotList.objects.filter(subject="esd").update(active=False)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # Playwright's request routing does not see what a service worker handles: none here (the
    # service worker has its own test, test_offline_browser.py).
    return {**browser_context_args, "service_workers": "block"}


def noisy_jpeg(seed: int, side: int = 1000) -> bytes:
    """A photo of about 1.5 MB (noise does not compress): two chunks of 1 MiB."""
    buffer = io.BytesIO()
    pixels = hashlib.shake_256(f"photo {seed}".encode()).digest(side * side * 3)
    Image.frombytes("RGB", (side, side), pixels).save(buffer, "JPEG", quality=97)
    return buffer.getvalue()


@pytest.fixture
def photos(tmp_path):
    paths = []
    for index in range(3):
        path = tmp_path / f"choc-{index + 1}.jpg"
        path.write_bytes(noisy_jpeg(index))
        assert CHUNK_BYTES < path.stat().st_size < 2 * CHUNK_BYTES
        paths.append(path)
    return paths


def log_in_on_a_phone(page, live_server, user):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, user)


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_a_message_composed_offline_waits_resumes_after_a_cut_and_arrives_once(
    live_server, page, world, photos
):
    context = page.context
    log_in_on_a_phone(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=esd")

    context.set_offline(True)
    page.set_input_files("#id_files", [str(path) for path in photos])
    page.get_by_role("button", name="Envoyer").click()
    queue = page.locator("[data-queue-region]")
    expect(queue).to_be_visible()
    expect(queue.locator("[data-file-state]")).to_have_text(["en attente"] * 3)
    assert not Upload.objects.exists() and not Message.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []

    # The network comes back, then drops after three chunks: mid-way through the second photo.
    passed, cut = [], {"on": False}

    def network(route):
        if route.request.method != "PATCH":
            return route.fallback() if not cut["on"] else route.abort("internetdisconnected")
        if cut["on"]:
            return route.abort("internetdisconnected")
        passed.append(route.request.headers["content-range"])
        if len(passed) == 3:
            cut["on"] = True
        return route.fallback()

    page.route("**/televersements/**", network)
    context.set_offline(False)
    expect(queue.locator("[data-file-state]").nth(1)).to_have_text(re.compile(r"^envoi \d+ %$"))
    expect(queue.locator("[data-queue-state]")).to_have_attribute("data-queue-state", "waiting")
    states = list(Upload.objects.order_by("id").values_list("state", "offset"))
    assert states == [
        (UploadState.COMPLETE, photos[0].stat().st_size),
        (UploadState.RECEIVING, CHUNK_BYTES),
    ]
    assert not Message.objects.exists()  # all or nothing

    # Back again: the phone asks the server's offset and goes on from there.
    cut["on"] = False
    context.set_offline(True)
    context.set_offline(False)
    expect(queue.locator("[data-queue-state]")).to_have_attribute(
        "data-queue-state", "sent", timeout=30_000
    )
    expect(queue.locator("[data-file-state]")).to_have_text(["envoyé"] * 3)
    chunks = sum(-(-path.stat().st_size // CHUNK_BYTES) for path in photos)
    assert len(passed) == chunks  # every chunk went up once: nothing sent again from zero
    assert Thread.objects.count() == Message.objects.count() == 1
    stored = {d.original_name: d.sha256 for d in Message.objects.get().documents.all()}
    assert stored == {path.name: sha256(path) for path in photos}
    assert set(Upload.objects.values_list("state", flat=True)) == {UploadState.CONSUMED}
    assert axe_violations(page) == []

    page.locator("[data-queue-region] a", has_text="voir le message").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/*/")
    for path in photos:
        expect(page.locator(".message-list")).to_contain_text(path.name)


def test_a_chunk_altered_in_transit_is_refused_and_sent_again(live_server, page, world, photos):
    log_in_on_a_phone(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=esd")
    statuses = []
    page.on(
        "response",
        lambda r: statuses.append(r.status) if r.request.method == "PATCH" else None,
    )
    tampered = {"done": False}

    def alter_first_chunk(route):
        if route.request.method == "PATCH" and not tampered["done"]:
            tampered["done"] = True
            body = bytearray(route.request.post_data_buffer)
            body[100] ^= 0xFF
            return route.fallback(post_data=bytes(body))
        return route.fallback()

    page.route("**/televersements/**", alter_first_chunk)
    page.set_input_files("#id_files", str(photos[0]))
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/*/")
    assert statuses[0] == 460 and statuses[1:] == [200, 200]
    document = Document.objects.get()
    assert document.sha256 == sha256(photos[0])  # intact: the altered bytes were never kept
    assert Message.objects.count() == 1


def test_the_composer_still_refuses_in_the_form_what_the_server_refuses(
    live_server, page, world, tmp_path
):
    """Online, a refused message shows its errors in the composer, files kept, as without the
    queue; its uploads are given up on the server."""
    svg = tmp_path / "plan.jpg"
    svg.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    log_in_on_a_phone(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=esd")
    page.set_input_files("#id_files", str(svg))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("[data-form-errors]")).to_contain_text("plan.jpg")
    expect(page.locator("[data-file-list]")).to_contain_text("plan.jpg")
    assert not Message.objects.exists()
    expect(page.locator("[data-queue-region]")).to_be_hidden()
    assert not Upload.objects.exists()


def test_a_queued_message_goes_only_with_its_authors_session(live_server, page, world, photos):
    """A colleague who logs in on the same phone neither sees nor sends it, and it is not kept
    for its author either: a shared phone keeps nothing of the last user (issue 25)."""
    compose = f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=esd"
    log_in_on_a_phone(page, live_server, world.repairer)
    page.goto(compose)
    page.context.set_offline(True)
    page.set_input_files("#id_files", str(photos[0]))
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("[data-file-state]")).to_have_text(["en attente"])
    page.context.clear_cookies()  # the session ends (logged out, or expired)
    tried = "/televersements/"
    with page.expect_response(lambda r: tried in r.url and r.request.method == "POST") as first:
        page.context.set_offline(False)  # the page tries: refused for want of a session
    assert first.value.status == 403  # CSRF: the cookie went with the session
    expect(page.locator("[data-file-state]")).to_have_text(["en attente"])  # it waits

    log_in_on_a_phone(page, live_server, world.colleague)
    page.goto(compose)
    expect(page.locator("[data-queue-region]")).to_be_hidden()
    page.reload()
    expect(page.locator("[data-queue-region]")).to_be_hidden()
    assert not Upload.objects.exists() and not Message.objects.exists()

    page.context.clear_cookies()
    log_in_on_a_phone(page, live_server, world.repairer)
    page.goto(compose)
    expect(page.locator("[data-queue-region]")).to_be_hidden()
    page.wait_for_timeout(1000)  # the queue's drain would have sent it by now
    assert not Message.objects.exists()
