"""The expert reads the verdict beside each read photo, and the inbox flags a dossier whose
photos show another plate."""

import pytest
from django.urls import reverse

from connect.documents.models import Document
from connect.documents.tests.helpers import add_photo
from connect.messaging.services import open_thread
from connect.readings import services
from connect.readings.engine import OcrLine, OcrResult
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def read_photo(dossier, shot: str, *lines: str):
    """A guided-capture photo of `shot`, read as `lines` (the engine's own test reads pixels)."""
    document = add_photo(dossier, name=f"{shot}.jpg")
    Document.objects.filter(pk=document.pk).update(shot=shot)
    document.shot = shot
    (reading,) = services.schedule_readings([document])
    result = OcrResult([OcrLine(line, 0.99) for line in lines], cpu_ms=1800)
    return services.record_result(reading=reading, result=result)


def documents_page(client, world):
    url = reverse("staff:dossier_documents", kwargs={"code": world.dossier_a.code})
    return login_as(client, world.expert).get(url).content.decode()


def test_the_expert_sees_what_was_read_on_each_photo(client, world):
    read_photo(world.dossier_a, "plaque", "GG-010-MZ")
    read_photo(world.dossier_a, "vin", "VF1RFB00X65123456")
    read_photo(world.dossier_a, "compteur", "87 654 km")
    page = documents_page(client, world)
    assert "Plaque conforme" in page
    assert "VIN lu : VF1RFB00X65123456 (clé de contrôle non vérifiée)" in page
    assert "Compteur lu : 87\u202f654 km" in page
    assert "data-other-plate" not in page


def test_another_plate_is_shown_and_the_dossier_flagged(client, world):
    read_photo(world.dossier_a, "plaque", "GG-010-MY")
    page = documents_page(client, world)
    assert "<strong>À vérifier :</strong> Plaque différente : lue GG-010-MY" in page
    assert "Les photos montrent une autre plaque que celle du dossier (GG-010-MY)" in page


def test_an_unreadable_photo_and_a_pending_one_say_so(client, world):
    read_photo(world.dossier_a, "plaque", "RENAULT")
    pending = add_photo(world.dossier_a, name="vin.jpg")
    Document.objects.filter(pk=pending.pk).update(shot="vin")
    pending.shot = "vin"
    services.schedule_readings([pending])
    page = documents_page(client, world)
    assert "Plaque illisible" in page and "Lecture de la photo en cours" in page


def test_the_inbox_flags_the_dossiers_whose_photos_show_another_plate(client, world):
    flagged = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Photos"
    ).thread
    clean = open_thread(
        dossier=world.dossier_b, subject_key="expert", author=world.other_repairer, body="Photos"
    ).thread
    read_photo(world.dossier_a, "plaque", "AB-123-CD")
    read_photo(world.dossier_b, "plaque", "FP-562-AB")
    response = login_as(client, world.expert).get(reverse("staff:inbox"))
    rows = {thread.pk: thread for thread in response.context["page"]}
    assert rows[flagged.pk].shows_other_plate and not rows[clean.pk].shows_other_plate
    assert response.content.decode().count("Autre plaque sur les photos") == 1


def test_the_repairers_page_stays_as_it_was(client, world):
    read_photo(world.dossier_a, "plaque", "AB-123-CD")
    url = reverse("dossier_detail", kwargs={"code": world.dossier_a.code})
    page = login_as(client, world.repairer).get(url).content.decode()
    assert "Plaque différente" not in page


def test_the_vin_is_compared_with_the_dossiers_when_the_core_system_gave_one(client, world):
    world.dossier_a.vin = "VF1RFB00X65123456"
    world.dossier_a.save(update_fields=["vin"])
    same = read_photo(world.dossier_a, "vin", "VF1 RFB00X 65123456")
    assert same.text == "VIN conforme : VF1RFB00X65123456"
    other = read_photo(world.dossier_a, "vin", "VF1RFB00X65123457")
    assert other.is_warning
    assert other.text == (
        "VIN différent : lu VF1RFB00X65123457 (VIN du dossier : VF1RFB00X65123456)"
    )
    page = documents_page(client, world)
    assert "VIN différent" in page and "data-other-plate" not in page  # a VIN is no plate
