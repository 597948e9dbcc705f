"""Right after the plate shot, the phone asks the server to read it: the answer within seconds,
only to the repairer who asked, through the dossier's door; bad input is a 400, nothing kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connect.readings.models import Reading, Verdict
from connect.readings.tests.photos import photo
from connect.testing import login_as, network_blocked, run_tasks

pytestmark = pytest.mark.django_db


def probe_url(dossier):
    return reverse("readings:probe", kwargs={"code": dossier.code})


def ask(client, dossier, data: bytes, name="plaque.jpg"):
    return client.post(probe_url(dossier), {"photo": SimpleUploadedFile(name, data)})


def test_the_plate_read_on_the_phone_matches_the_dossier(client, world, monkeypatch):
    network_blocked(monkeypatch)
    login_as(client, world.repairer)
    started = ask(client, world.dossier_a, photo("GG-010-MZ"))
    assert started.status_code == 202
    url = started.json()["url"]
    assert client.get(url).json() == {"state": "pending"}
    run_tasks("reading")
    answer = client.get(url).json()
    assert answer["state"] == "done" and answer["ok"] is True
    assert answer["message"] == "Plaque lue : GG-010-MZ ✓"
    reading = Reading.objects.get()
    assert reading.probe is None and reading.document is None  # the bytes go once read
    assert reading.requested_by == world.repairer


def test_another_plate_asks_to_retake_or_confirm(client, world, monkeypatch):
    network_blocked(monkeypatch)
    login_as(client, world.repairer)
    url = ask(client, world.dossier_a, photo("GG-010-MY")).json()["url"]
    run_tasks("reading")
    answer = client.get(url).json()
    assert answer["ok"] is False and answer["verdict"] == Verdict.MISMATCH
    assert answer["message"] == (
        "La plaque lue (GG-010-MY) ne correspond pas au dossier (GG-010-MZ) : "
        "reprenez la photo ou confirmez."
    )


def test_only_the_repairer_who_asked_gets_the_answer(client, world):
    login_as(client, world.repairer)
    url = ask(client, world.dossier_a, photo()).json()["url"]
    for outsider in (world.colleague, world.other_repairer, world.expert):
        assert login_as(client, outsider).get(url).status_code == 404
    assert ask(login_as(client, world.other_repairer), world.dossier_a, photo()).status_code == 404


@pytest.mark.parametrize(
    "data,name",
    [(b"not an image", "plaque.jpg"), (b"%PDF-1.4\n%%EOF\n", "plaque.pdf"), (b"", "plaque.jpg")],
)
def test_what_is_not_a_photo_is_refused_and_nothing_kept(client, world, data, name):
    response = ask(login_as(client, world.repairer), world.dossier_a, data, name)
    assert response.status_code == 400 and response.json()["message"]
    assert not Reading.objects.exists()


def test_no_photo_or_a_huge_one_is_a_400(client, world):
    login_as(client, world.repairer)
    assert client.post(probe_url(world.dossier_a)).status_code == 400
    huge = photo(size=(1600, 1000)) + b"\0" * (3 * 1024 * 1024)
    assert ask(client, world.dossier_a, huge).status_code == 400
    assert not Reading.objects.exists()


def test_the_capture_page_offers_the_plate_reading(client, world):
    url = reverse("messaging:compose", kwargs={"code": world.dossier_a.code}) + "?objet=esd"
    page = login_as(client, world.repairer).get(url).content.decode()
    assert f'data-plate-reading="{probe_url(world.dossier_a)}"' in page
    assert page.count("data-read-plate") == 1


def test_probes_are_pruned_after_a_day_read_or_not(world):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from connect.readings import services

    old = services.request_probe(dossier=world.dossier_a, user=world.repairer, data=b"x")
    fresh = services.request_probe(dossier=world.dossier_a, user=world.repairer, data=b"y")
    Reading.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    out = StringIO()
    call_command("prune_plate_probes", stdout=out)
    assert out.getvalue() == "1 lecture supprimée.\n"
    assert list(Reading.objects.values_list("pk", flat=True)) == [fresh.pk]
