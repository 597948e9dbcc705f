"""A guided capture's plate, VIN and odometer photos are read by the reading queue's worker,
after the message is sent and whatever the reading's fate; the real engine, network blocked."""

import hashlib
import time
import uuid

import pytest
from django_tasks_db.models import DBTaskResult

from connect.documents.models import Document
from connect.documents.tests import photos as quality_photos
from connect.messaging.models import Message
from connect.messaging.tests.helpers import compose_url
from connect.readings import engine, tasks
from connect.readings.models import Kind, Reading, Verdict
from connect.readings.tests.photos import photo
from connect.testing import network_blocked, run_tasks

ESD = ["plaque", "avant-gauche", "arriere-droit", "compteur", "vin", "zone-endommagee"]


def send_esd(client, dossier, *, plate="GG-010-MZ", odometer="87 654 km", vin="VF1RFB00X65123456"):
    """What capture.js sends for an ESD request: one photo per shot, with the parallel lists."""
    read = {"plaque": photo(plate), "compteur": photo(odometer), "vin": photo(vin)}
    files, shots, hashes = [], [], []
    for index, key in enumerate(ESD):
        data = read.get(key) or quality_photos.good(seed=index)
        files.append(quality_photos.upload(data, f"{key}.jpg"))
        shots.append(key)
        hashes.append(hashlib.sha256(data).hexdigest())
    n = len(files)
    data = {
        "objet": "esd",
        "token": str(uuid.uuid4()),
        "files": files,
        "shot": shots,
        "sha256": hashes,
        "captured_at": [""] * n,
        "latitude": [""] * n,
        "longitude": [""] * n,
        "types": [""] * n,
        "plate": dossier.plate,
    }
    return client.post(compose_url(dossier), data)


@pytest.fixture
def no_network(monkeypatch):
    network_blocked(monkeypatch)


def test_the_shots_are_read_after_the_message_is_sent(as_repairer, world, no_network):
    response = send_esd(as_repairer, world.dossier_a)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Message.objects.count() == 1
    pending = Reading.objects.order_by("kind")
    assert [(r.kind, r.verdict) for r in pending] == [
        (Kind.ODOMETER, Verdict.PENDING),
        (Kind.PLATE, Verdict.PENDING),
        (Kind.VIN, Verdict.PENDING),
    ]
    # Only the photos of those three shots, each on the reading queue, none on the default.
    assert {r.document.shot for r in pending} == {"plaque", "compteur", "vin"}
    jobs = DBTaskResult.objects.filter(task_path="connect.readings.tasks.read_photo")
    assert jobs.count() == 3 and {job.queue_name for job in jobs} == {"reading"}
    run_tasks()  # the default queue's worker leaves them
    assert not Reading.objects.exclude(verdict=Verdict.PENDING).exists()

    run_tasks("reading")
    plate = Reading.objects.get(kind=Kind.PLATE)
    assert (plate.verdict, plate.value) == (Verdict.MATCH, "GG-010-MZ")
    assert plate.raw_text == "GG-010-MZ" and plate.engine.startswith("rapidocr 3.10.0")
    assert plate.cpu_ms > 0 and plate.read_at is not None
    vin = Reading.objects.get(kind=Kind.VIN)
    assert (vin.verdict, vin.value) == (Verdict.VALID, "VF1RFB00X65123456")
    assert vin.detail == "clé de contrôle non vérifiée"
    odometer = Reading.objects.get(kind=Kind.ODOMETER)
    assert (odometer.verdict, odometer.value) == (Verdict.READ, "87654")
    # Each reading joins its photo's readings, under the photo's seal (issue 28, the seal
    # covers what the portal read).
    from connect.documents import seal

    photo = plate.document
    photo.refresh_from_db()
    assert [(r["kind"], r["value"], r["verdict"]) for r in photo.readings] == [
        (Kind.PLATE, "GG-010-MZ", Verdict.MATCH)
    ]
    assert seal.check(photo)
    photo.readings[0]["value"] = "GG-010-MX"
    assert not seal.check(photo)  # a reading changed after the seal: it no longer holds


def test_another_plate_on_the_photo_is_read_as_different(as_repairer, world, no_network):
    assert send_esd(as_repairer, world.dossier_a, plate="GG-010-MY").status_code == 302
    run_tasks("reading")
    plate = Reading.objects.get(kind=Kind.PLATE)
    assert (plate.verdict, plate.value) == (Verdict.MISMATCH, "GG-010-MY")


def test_an_odometer_below_the_vehicles_earlier_reading_is_flagged(as_repairer, world):
    assert send_esd(as_repairer, world.dossier_a, odometer="90 000 km").status_code == 302
    run_tasks("reading")
    assert send_esd(as_repairer, world.dossier_a, odometer="87 654 km").status_code == 302
    run_tasks("reading")
    later = Reading.objects.filter(kind=Kind.ODOMETER).order_by("-id").first()
    assert (later.verdict, later.value) == (Verdict.LOWER, "87654")
    assert later.detail.endswith(": 90000 km")


def test_a_reading_that_fails_is_recorded_and_the_message_stays(as_repairer, world, monkeypatch):
    def broken(data):
        raise RuntimeError("the engine fell over")

    monkeypatch.setattr(engine, "read_text", broken)
    assert send_esd(as_repairer, world.dossier_a).status_code == 302
    run_tasks("reading")
    assert set(Reading.objects.values_list("verdict", flat=True)) == {Verdict.FAILED}
    assert Document.objects.count() == len(ESD) and Message.objects.count() == 1
    statuses = DBTaskResult.objects.filter(task_path="connect.readings.tasks.read_photo")
    assert set(statuses.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_reading_past_its_queues_time_limit_is_abandoned(
    as_repairer, world, monkeypatch, settings
):
    settings.JOB_QUEUE_TIME_LIMITS = {tasks.READING_QUEUE: 1}

    def endless(data):
        time.sleep(30)

    monkeypatch.setattr(engine, "read_text", endless)
    assert send_esd(as_repairer, world.dossier_a).status_code == 302
    started = time.monotonic()
    run_tasks("reading")
    assert time.monotonic() - started < 10
    failed = Reading.objects.filter(verdict=Verdict.FAILED)
    assert failed.count() == 3 and failed.first().detail == "lecture trop longue, abandonnée"


def test_a_photo_outside_the_read_shots_is_not_read(as_repairer, world):
    from connect.messaging.tests.helpers import photo as plain_photo
    from connect.messaging.tests.helpers import post_new

    post_new(as_repairer, world.dossier_a, "expert", body="Le choc", files=[plain_photo()])
    assert not Reading.objects.exists()
