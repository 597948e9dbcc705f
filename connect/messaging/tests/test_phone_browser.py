"""The workshop phone at 390 px (issue 24, "The workshop phone"): a shot only the server refuses
is named and the others are kept, through the queue and without it; one guided shot shows one
retake button; the plate is typed from the photo, never pre-filled. Axe finds nothing."""

import re
import time

import pytest
from django.test import Client
from playwright.sync_api import expect

from connect.documents.models import Document, ShotList
from connect.documents.shots import seed_defaults
from connect.documents.tests import photos
from connect.messaging.models import Message, Thread
from connect.testing import axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390

# A phone that cannot decode the photo itself (HEIC on Chrome): "gardée, vérifiée à l'envoi",
# the server decides.
NO_DECODER = "window.createImageBitmap = () => Promise.reject(new Error('format'));"


@pytest.fixture
def browser_context_args(browser_context_args):
    # Requests routed by Playwright are not seen once a service worker handles them.
    return {**browser_context_args, "service_workers": "block"}


def open_session(context, live_server, user) -> None:
    client = login_as(Client(), user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def esd_page(page, live_server, world, *, decoder: bool = True):
    seed_defaults()  # a transactional test starts from a flushed database
    if not decoder:
        page.add_init_script(NO_DECODER)
    open_session(page.context, live_server, world.repairer)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=esd")
    return [shot.key for shot in ShotList.objects.get(subject="esd").shots.all()]


def take(page, key: str, path) -> None:
    page.set_input_files(f"#shot-{key}", str(path))
    page.locator(f"[data-shot='{key}']:not([data-state='todo'])").wait_for()


@pytest.mark.parametrize("queued", [True, False], ids=["queue", "direct"])
def test_a_shot_the_server_refuses_is_named_and_the_others_are_kept(
    live_server, page, world, tmp_path, queued
):
    shots = esd_page(page, live_server, world, decoder=False)
    for index, key in enumerate(shots):
        path = tmp_path / f"{key}.jpg"
        path.write_bytes(photos.dark() if key == "compteur" else photos.good(seed=index))
        take(page, key, path)
    page.get_by_label("Immatriculation lue sur la photo de la plaque").fill("GG-010-MZ")
    if not queued:
        page.evaluate("document.querySelector('form[data-composer]').removeAttribute('data-queue')")
    page.get_by_role("button", name="Envoyer").click()

    banner = page.locator("[data-form-errors]")
    expect(banner).to_contain_text("« Compteur » : Photo trop sombre")
    assert not Thread.objects.exists()
    refused = page.locator("[data-shot='compteur']")
    expect(refused).to_have_attribute("data-state", "refused")
    expect(refused.locator(".capture-shot__verdict")).to_have_text(
        "Refusée : Photo trop sombre : reprenez-la avec plus de lumière."
    )
    # Every other shot is still there, ready to go again.
    assert page.locator("[data-shot][data-state='done']").count() == len(shots) - 1
    expect(page.get_by_label("Immatriculation lue sur la photo de la plaque")).to_have_value(
        "GG-010-MZ"
    )
    assert fits(page)
    assert axe_violations(page, impacts=None) == []
    refused.screenshot(path=f"/tmp/phone-shots/refused-{'queue' if queued else 'direct'}.png")

    # The odometer retaken: the server's error about it goes; the message goes with every shot.
    page.get_by_role("button", name="Reprendre la photo Compteur").click()
    good = tmp_path / "compteur-net.jpg"
    good.write_bytes(photos.good(seed=42))
    take(page, "compteur", good)
    expect(refused).to_have_attribute("data-state", "done")
    expect(banner).to_have_count(0)
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/*/")
    assert sorted(Document.objects.values_list("shot", flat=True)) == sorted(shots)


def test_one_guided_shot_shows_one_retake_button(live_server, page, world, tmp_path):
    esd_page(page, live_server, world)
    path = tmp_path / "vin.jpg"
    path.write_bytes(photos.good(seed=3))
    take(page, "vin", path)
    step = page.locator("[data-shot='vin']")
    expect(step).to_have_attribute("data-state", "done")
    visible = [b.inner_text() for b in step.get_by_role("button").all() if b.is_visible()]
    assert visible == ["Reprendre"], visible
    assert fits(page)
    assert axe_violations(page) == []
    page.screenshot(path="/tmp/phone-shots/one-retake.png", full_page=False)


def test_the_plate_is_typed_from_the_photo_and_a_different_one_is_flagged_to_the_expert(
    live_server, page, world, tmp_path
):
    dossier = world.dossier_a
    shots = esd_page(page, live_server, world)
    for index, key in enumerate(shots):
        path = tmp_path / f"{key}.jpg"
        path.write_bytes(photos.good(seed=index))
        take(page, key, path)
    plate = page.get_by_label("Immatriculation lue sur la photo de la plaque")
    expect(plate).to_have_value("")  # read off the photo, not copied from the dossier
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Confirmez l'immatriculation lue sur la photo « Plaque »").first.wait_for()
    assert not Thread.objects.exists()
    page.get_by_label("Immatriculation lue sur la photo de la plaque").fill("ab-123 cd")
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{dossier.code}/messages/*/")
    thread = Thread.objects.get()
    assert Document.objects.get(shot="plaque").confirmed_plate == "AB-123 CD"
    warning = (
        "Immatriculation lue sur la photo (AB-123 CD) différente de celle du dossier "
        "(GG-010-MZ) : à vérifier."
    )

    expert = page.context.browser.new_context(viewport={"width": WIDTH, "height": 800})
    expert_page = expert.new_page()
    open_session(expert, live_server, world.expert)
    for url in (
        f"/dossiers/{dossier.code}/",
        f"/dossiers/{dossier.code}/messages/{thread.code}/",
        f"/espace/dossiers/{dossier.code}/documents/",
    ):
        expert_page.goto(f"{live_server.url}{url}")
        flagged = expert_page.locator("[data-plate-warning]")
        expect(flagged).to_have_count(1)
        expect(flagged).to_have_text(warning)
        assert fits(expert_page), url
        assert axe_violations(expert_page) == [], url
    flagged.screenshot(path="/tmp/phone-shots/plate-warning.png")
    expert.close()


def test_a_throttled_queued_message_says_when_and_goes_by_itself(
    live_server, page, world, tmp_path
):
    """A 429 on the message's post: the queue says when it tries again (the server's
    Retry-After) and sends it then, with no new visit and no network event."""
    seed_defaults()
    ShotList.objects.filter(subject="esd").update(active=False)  # plain files here
    open_session(page.context, live_server, world.repairer)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    compose = f"/dossiers/{world.dossier_a.code}/messages/nouveau/"
    page.goto(f"{live_server.url}{compose}?objet=esd")
    throttled = []

    def first_post_throttled(route):
        if route.request.method == "POST" and not throttled:
            throttled.append(time.monotonic())
            return route.fulfill(
                status=429,
                headers={"Retry-After": "3", "Content-Type": "text/html; charset=utf-8"},
                body="<p>Trop de demandes en peu de temps. Réessayez dans 3 s.</p>",
            )
        return route.fallback()

    page.route(f"**{compose}", first_post_throttled)
    path = tmp_path / "choc.jpg"
    path.write_bytes(photos.good(seed=5))
    page.set_input_files("#id_files", str(path))
    page.get_by_role("button", name="Envoyer").click()
    queue = page.locator("[data-queue-region]")
    expect(queue.locator("[data-queue-state]")).to_have_attribute("data-queue-state", "waiting")
    expect(queue.locator(".queue__state").first).to_have_text(
        re.compile(
            r"^en attente : trop d'envois en peu de temps, "
            r"nouvel essai automatique dans [1-3] s\.$"
        )
    )
    assert fits(page)
    assert axe_violations(page) == []
    queue.screenshot(path="/tmp/phone-shots/throttled.png")
    assert not Message.objects.exists()

    expect(queue.locator("[data-queue-state]")).to_have_attribute(
        "data-queue-state", "sent", timeout=15_000
    )
    assert time.monotonic() - throttled[0] >= 3  # not before the server said
    assert Message.objects.count() == 1


def test_a_refused_queued_message_opens_back_into_its_composer(live_server, page, world, tmp_path):
    """Refused while the phone sent it in the background: the queue's list opens it back
    into its composer, text and files there to fix; sent again, it leaves the list."""
    seed_defaults()
    ShotList.objects.filter(subject="esd").update(active=False)  # plain files here
    dossier = world.dossier_a
    open_session(page.context, live_server, world.repairer)
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/?objet=esd")
    photo = tmp_path / "choc.jpg"
    photo.write_bytes(photos.good(seed=5))
    notes = tmp_path / "notes.txt"
    notes.write_text("pas une photo")
    page.context.set_offline(True)
    page.get_by_role("textbox", name="Message").fill("Vue du choc avant droit.")
    page.set_input_files("#id_files", [str(photo), str(notes)])
    page.get_by_role("button", name="Envoyer").click()
    queue = page.locator("[data-queue-region]")
    expect(queue.locator("[data-queue-state]")).to_have_attribute("data-queue-state", "waiting")
    page.context.set_offline(False)
    expect(queue.locator("[data-queue-state]")).to_have_attribute(
        "data-queue-state", "refused", timeout=15_000
    )
    assert not Message.objects.exists()

    # Wherever the list shows (here a fresh composer), it opens back into its own composer.
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/")
    page.get_by_role("link", name="Corriger ce message").click()
    page.wait_for_url(re.compile(r".*/messages/nouveau/\?objet=esd$"))
    expect(page.locator("[data-form-errors]")).to_contain_text("notes.txt")
    expect(page.get_by_role("textbox", name="Message")).to_have_value("Vue du choc avant droit.")
    listed = page.locator("[data-file-list] .file-list__name")
    expect(listed).to_have_count(2)
    assert fits(page)
    assert axe_violations(page) == []
    page.locator("#composer-form").screenshot(path="/tmp/phone-shots/reopened.png")
    page.get_by_role("button", name="Retirer notes.txt").click()
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{dossier.code}/messages/*/")
    message = Message.objects.get()
    assert message.body == "Vue du choc avant droit."
    assert [d.original_name for d in message.documents.all()] == ["choc.jpg"]
    expect(page.locator("[data-queue-state='refused']")).to_have_count(0)
