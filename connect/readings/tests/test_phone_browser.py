"""On a 390 px phone, in Chromium: the plate shot is read by the server within seconds of being
taken ("Plaque lue : GG-010-MZ ✓"); another plate asks to retake or confirm, and the repairer
can still send. The reading queue's worker runs in the test (the real engine)."""

import time

import pytest
from django.test import Client

from connect.documents.models import ShotList
from connect.documents.shots import seed_defaults
from connect.documents.tests import photos
from connect.messaging.models import Thread
from connect.readings.models import Reading
from connect.readings.tests.photos import photo
from connect.testing import axe_violations, login_as, run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_session(context, live_server, user):
    client = login_as(Client(), user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def read_when_asked(count: int) -> None:
    """The reading worker's part: once the phone has asked `count` readings, read them."""
    deadline = time.monotonic() + 20
    while Reading.objects.count() < count and time.monotonic() < deadline:
        time.sleep(0.2)
    run_tasks("reading")


def test_the_plate_shot_is_read_on_the_phone_and_the_repairer_can_still_send(
    live_server, page, context, world, tmp_path
):
    seed_defaults()  # a transactional test starts from a flushed database
    dossier = world.dossier_a
    right, wrong = tmp_path / "plaque.jpg", tmp_path / "autre-plaque.jpg"
    right.write_bytes(photo("GG-010-MZ"))
    wrong.write_bytes(photo("GG-010-MY"))
    open_session(context, live_server, world.repairer)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/?objet=esd")

    page.set_input_files("#shot-plaque", str(right))
    reading = page.locator("[data-shot='plaque'] [data-plate-reading]")
    reading.wait_for()
    assert reading.inner_text() == "Lecture de la plaque…"
    read_when_asked(1)
    page.locator("[data-shot='plaque'] [data-plate-reading='ok']").wait_for(timeout=15000)
    assert reading.inner_text() == "Plaque lue : GG-010-MZ ✓"

    # Retaken with another car's plate: the phone says so, and asks to retake or confirm.
    page.get_by_role("button", name="Reprendre la photo Plaque").click()
    page.set_input_files("#shot-plaque", str(wrong))
    read_when_asked(2)
    page.locator("[data-shot='plaque'] [data-plate-reading='different']").wait_for(timeout=15000)
    assert reading.inner_text() == (
        "La plaque lue (GG-010-MY) ne correspond pas au dossier (GG-010-MZ) : "
        "reprenez la photo ou confirmez."
    )
    serious = axe_violations(page)
    assert serious == [], serious

    # The repairer confirms and sends anyway: the reading never blocks the message.
    shots = [shot.key for shot in ShotList.objects.get(subject="esd").shots.all()]
    for index, key in enumerate(shots):
        if key == "plaque":
            continue
        path = tmp_path / f"{key}.jpg"
        path.write_bytes(photos.good(seed=index))
        page.set_input_files(f"#shot-{key}", str(path))
        page.locator(f"[data-shot='{key}'][data-state='done']").wait_for()
    page.get_by_label("Immatriculation lue sur la photo de la plaque").fill("GG-010-MY")
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{dossier.code}/messages/*/")
    assert Thread.objects.count() == 1
