"""Guided capture, documents side: the quality measures on built photos, the provenance kept
by add_document and its sentence, the default shot lists and their admin."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from connect.documents import quality
from connect.documents.models import Document, Shot, ShotList
from connect.documents.provenance import (
    HASH_DIFFERENT,
    HASH_SAME,
    Provenance,
    device_facts,
    summary,
)
from connect.documents.services import add_document
from connect.documents.shots import DEFAULT_SHOT_LISTS, seed_defaults, shot_list_for
from connect.documents.tests import photos
from connect.testing import login_as

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data,problem",
    [
        (photos.good(), None),
        (photos.good(seed=7), None),
        (photos.dark(), quality.DARK),
        (photos.blurred(), quality.BLURRED),
        (photos.small(), "Photo trop petite (640 × 480 pixels, 1024 × 720 au moins)"),
    ],
    ids=["good", "good-other-scene", "dark", "blurred", "small"],
)
def test_quality_measures_on_built_photos(data, problem):
    verdict = quality.check_photo(photos.upload(data))
    if problem is None:
        assert verdict.ok, verdict
    else:
        assert len(verdict.problems) == 1 and verdict.problems[0].startswith(problem), verdict


def test_the_measures_report_the_full_size_and_values_either_side_of_the_thresholds():
    good = quality.check_photo(photos.upload(photos.good())).measures
    dark = quality.check_photo(photos.upload(photos.dark())).measures
    blurred = quality.check_photo(photos.upload(photos.blurred())).measures
    assert (good.width, good.height) == photos.GOOD_SIZE  # not the draft-decoded size
    assert good.luminance > quality.MIN_LUMINANCE > dark.luminance
    assert good.sharpness > quality.MIN_SHARPNESS > blurred.sharpness


def test_an_unreadable_file_is_a_problem_not_a_crash():
    verdict = quality.check_photo(photos.upload(b"not an image"))
    assert verdict.problems == (quality.UNREADABLE,)


def test_device_facts_that_do_not_parse_are_dropped():
    kept = Provenance.from_device(
        shot="plaque",
        captured_at="2026-03-12T09:42:00.000Z",
        latitude="48.856613",
        longitude="2.352222",
        sha256="AB" * 32,
    )
    assert kept.captured_at == datetime(2026, 3, 12, 9, 42, tzinfo=UTC)
    assert str(kept.latitude) == "48.856613" and kept.sha256_capture == "ab" * 32
    dropped = Provenance.from_device(
        captured_at="hier", latitude="91", longitude="2", sha256="<script>"
    )
    assert (dropped.captured_at, dropped.latitude, dropped.longitude) == (None, None, None)
    assert dropped.sha256_capture == ""
    half = Provenance.from_device(latitude="48.8", longitude="")
    assert (half.latitude, half.longitude) == (None, None)  # a position is both or nothing


def test_add_document_keeps_the_provenance_and_the_exif_time(world):
    data = photos.good(taken=datetime(2026, 3, 12, 10, 41, 30))
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    document = add_document(
        dossier=world.dossier_a,
        file=photos.upload(data, "plaque.jpg"),
        doc_type="photo",
        origin="repairer",
        provenance=Provenance.from_device(
            shot="plaque",
            shot_label="Plaque",
            captured_at="2026-03-12T10:42:00+01:00",
            sha256=digest,
            latitude="48.85",
            longitude="2.35",
            confirmed_plate="GG-010-MZ",
        ),
    )
    document.refresh_from_db()
    assert document.sha256 == digest == document.sha256_capture
    assert document.exif_taken_at == timezone.make_aware(datetime(2026, 3, 12, 10, 41, 30))
    assert document.captured_at == datetime(2026, 3, 12, 9, 42, tzinfo=UTC)
    assert (document.shot, document.confirmed_plate) == ("plaque", "GG-010-MZ")
    received = document.created_at.astimezone(timezone.get_current_timezone())
    day = "" if received.date().isoformat() == "2026-03-12" else f"le {received:%d/%m} "
    assert summary(document) == (
        f"Photo prise le 12/03 à 10:42 selon le téléphone, reçue par le portail {day}"
        f"à {received:%H:%M}, {HASH_SAME}"
    )
    assert "Position : 48.85000, 2.35000" in device_facts(document)


def test_the_sentence_says_modified_or_absent_and_falls_back_on_exif(world):
    document = add_document(
        dossier=world.dossier_a,
        file=photos.upload(photos.good(taken=datetime(2026, 3, 11, 8, 5))),
        doc_type="photo",
        origin="repairer",
        provenance=Provenance.from_device(shot="vin", shot_label="N° de série (VIN)"),
    )
    assert summary(document).startswith(
        "Photo prise le 11/03 à 08:05 selon le fichier (EXIF), reçue par le portail le "
    )
    assert summary(document).endswith(", empreinte d'origine absente")
    document.sha256_capture = "0" * 64
    assert summary(document).endswith(", " + HASH_DIFFERENT)
    document.captured_at = document.exif_taken_at + timedelta(hours=2)
    assert "Date EXIF du fichier : 11/03/2026 à 08:05" in device_facts(document)


def test_a_document_that_did_not_come_from_a_capture_has_no_sentence(world):
    plain = add_document(
        dossier=world.dossier_a,
        file=photos.upload(photos.small()),
        doc_type="photo",
        origin="repairer",
    )
    assert plain.exif_taken_at is None and summary(plain) == ""


def test_the_migration_seeded_the_declarative_defaults():
    assert ShotList.objects.count() == len(DEFAULT_SHOT_LISTS)
    esd = ShotList.objects.get(subject="esd")
    labels = [shot.label for shot in esd.shots.all()]
    assert labels == [
        "Plaque",
        "¾ avant gauche",
        "¾ arrière droit",
        "Compteur",
        "N° de série (VIN)",
        "Zone endommagée",
    ]
    damage = esd.shots.get(key="zone-endommagee")
    assert damage.several and damage.required and esd.shots.get(key="plaque").confirm_plate
    seed_defaults()  # again: nothing added, nothing reset
    assert Shot.objects.filter(shot_list=esd).count() == 6


def test_the_ead_list_applies_to_dossiers_awaiting_ead_only(world):
    dossier = world.dossier_a
    assert shot_list_for("expert", dossier) is None
    dossier.remote_assessment = dossier.awaiting_ead = True
    assert shot_list_for("expert", dossier).label == "Matériel EAD"
    ShotList.objects.filter(subject="expert").update(active=False)
    assert shot_list_for("expert", dossier) is None


def test_staff_edit_the_shots_in_the_admin(client, world):
    esd = ShotList.objects.get(subject="esd")
    login_as(client, world.admin)
    url = f"/admin/documents/shotlist/{esd.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    inline = page.context["inline_admin_formsets"][0].formset
    data = {
        "subject": esd.subject,
        "label": "ESD (révisée)",
        "active": "on",
        **{f"shots-{k}": v for k, v in inline.management_form.initial.items()},
    }
    existing = [shot_form.instance for shot_form in inline.forms if shot_form.instance.pk]
    data["shots-TOTAL_FORMS"] = str(len(existing))  # the blank extra row left out
    for index, shot in enumerate(existing):
        data.update(
            {
                f"shots-{index}-id": str(shot.pk),
                f"shots-{index}-shot_list": str(esd.pk),
                f"shots-{index}-key": shot.key,
                f"shots-{index}-label": shot.label,
                f"shots-{index}-instruction": shot.instruction,
                f"shots-{index}-doc_type": shot.doc_type,
                # The VIN first, and no longer required.
                f"shots-{index}-order": "1" if shot.key == "vin" else str(shot.order),
            }
        )
        if shot.required and shot.key != "vin":
            data[f"shots-{index}-required"] = "on"
        if shot.several:
            data[f"shots-{index}-several"] = "on"
        if shot.confirm_plate:
            data[f"shots-{index}-confirm_plate"] = "on"
    assert form is not None and len(existing) == 6
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    esd.refresh_from_db()
    first = esd.shots.first()
    assert esd.label == "ESD (révisée)" and first.key == "vin" and not first.required


def test_documents_list_rows_carry_the_provenance(world, client):
    from connect.documents.listing import document_list

    add_document(
        dossier=world.dossier_a,
        file=photos.upload(photos.good()),
        doc_type="photo",
        origin="repairer",
        provenance=Provenance.from_device(shot="plaque", shot_label="Plaque"),
    )
    listed = document_list(dossier=world.dossier_a, user=world.expert)
    assert "data-provenance" in listed.items_html
    assert "Prise de vue : Plaque" in listed.items_html
    assert Document.objects.count() == 1


def test_heic_shots_are_measured_too():
    """An iPhone's HEIC: the server measures it (the phone's browser may not decode it)."""
    from PIL import ImageEnhance

    good = photos.encode(photos.scene(), fmt="HEIF")
    dark = photos.encode(ImageEnhance.Brightness(photos.scene()).enhance(0.15), fmt="HEIF")
    assert quality.check_photo(photos.upload(good, "plaque.heic")).ok
    assert quality.check_photo(photos.upload(dark, "plaque.heic")).problems == (quality.DARK,)
