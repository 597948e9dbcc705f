"""Provenance the expert can take at its word (issue 25): the sentence says what was compared
(the hash the phone declared against the bytes received), and the dates that contradict the
dossier or each other are flagged."""

import hashlib
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from connect.documents.provenance import (
    HASH_ABSENT,
    HASH_DIFFERENT,
    HASH_SAME,
    Provenance,
    device_facts,
    server_facts,
    summary,
    warnings,
)
from connect.documents.services import add_document
from connect.documents.tests import photos

pytestmark = pytest.mark.django_db
BEFORE_MISSION = "Date de prise de vue (12/03/2026) antérieure à la mission (01/04/2026)."
IN_THE_FUTURE = "Date de prise de vue postérieure à la réception de la photo."
EXIF_FAR = "Date du téléphone et date EXIF éloignées de plus d'un jour."


def captured(world, *, exif: datetime, captured_at: str, sha256: str | None = None):
    data = photos.good(taken=exif)
    digest = hashlib.sha256(data).hexdigest() if sha256 is None else sha256
    return add_document(
        dossier=world.dossier_a,
        file=photos.upload(data),
        doc_type="photo",
        origin="repairer",
        provenance=Provenance.from_device(shot="plaque", captured_at=captured_at, sha256=digest),
    )


def test_the_sentence_says_what_was_compared_not_that_the_photo_is_intact(world):
    document = captured(world, exif=datetime(2026, 3, 12, 10, 42), captured_at="2026-03-12T09:42Z")
    text = summary(document)
    assert text.endswith(", empreinte des octets reçus identique à celle déclarée par le téléphone")
    assert text.endswith(HASH_SAME) and "intacte" not in text
    document.sha256_capture = "0" * 64
    assert summary(document).endswith(HASH_DIFFERENT) and "modifiée" not in summary(document)
    document.sha256_capture = ""
    assert summary(document).endswith(HASH_ABSENT)


def test_consistent_dates_raise_no_flag(world):
    world.dossier_a.mission_received_on = date(2026, 3, 1)
    document = captured(world, exif=datetime(2026, 3, 12, 10, 42), captured_at="2026-03-12T09:42Z")
    assert warnings(document, mission_on=world.dossier_a.mission_received_on) == []
    assert warnings(document, mission_on=None) == []


def test_a_capture_before_the_mission_is_flagged(world):
    document = captured(world, exif=datetime(2026, 3, 12, 10, 42), captured_at="2026-03-12T09:42Z")
    assert warnings(document, mission_on=date(2026, 4, 1)) == [BEFORE_MISSION]
    assert warnings(document, mission_on=date(2026, 3, 12)) == []  # the same day is fine


def test_an_exif_date_alone_before_the_mission_is_flagged_too(world):
    document = captured(world, exif=datetime(2026, 3, 12, 10, 42), captured_at="")
    assert warnings(document, mission_on=date(2026, 4, 1)) == [BEFORE_MISSION]


def test_a_capture_dated_after_its_reception_is_flagged(world):
    later = (timezone.now() + timedelta(days=2)).isoformat()
    exif = timezone.localtime(timezone.now() + timedelta(days=2)).replace(tzinfo=None)
    document = captured(world, exif=exif, captured_at=later)
    assert warnings(document, mission_on=None) == [IN_THE_FUTURE]


def test_a_phone_clock_a_minute_ahead_is_no_flag(world):
    ahead = timezone.now() + timedelta(minutes=1)
    exif = timezone.localtime(ahead).replace(tzinfo=None, microsecond=0)
    document = captured(world, exif=exif, captured_at=ahead.isoformat())
    assert warnings(document, mission_on=None) == []


def test_a_phone_date_a_day_away_from_the_exif_date_is_flagged(world):
    far = captured(world, exif=datetime(2026, 3, 9, 10, 42), captured_at="2026-03-12T09:42Z")
    assert warnings(far, mission_on=None) == [EXIF_FAR]
    near = captured(world, exif=datetime(2026, 3, 12, 8, 0), captured_at="2026-03-12T09:42Z")
    assert warnings(near, mission_on=None) == []


def test_what_the_server_knows_is_listed_apart_from_what_the_phone_says(world):
    document = captured(world, exif=datetime(2026, 3, 12, 10, 42), captured_at="2026-03-12T09:42Z")
    server, device = server_facts(document), device_facts(document)
    received = timezone.localtime(document.created_at)
    assert server == [
        f"Reçue par le portail le {received:%d/%m/%Y} à {received:%H:%M:%S}",
        f"Empreinte SHA-256 calculée à la réception : {document.sha256[:16]}…",
        "Comparée à l'empreinte déclarée par le téléphone : identique",
        "Scellée par le portail (signature Ed25519, clé « dev »)",
    ]
    # The phone's clock, the file's EXIF and the declared hash are the device's word only.
    assert device == [
        "Prise le 12/03/2026 à 10:42 (horloge du téléphone)",
        "Date EXIF du fichier : 12/03/2026 à 10:42",
        f"Empreinte déclarée : {document.sha256_capture[:16]}…",
    ]
    assert not any("téléphone" in line for line in server[:2])
    document.sha256_capture = "f" * 64
    assert server_facts(document)[2].endswith(": différente")
    document.sha256_capture = ""
    assert server_facts(document)[2] == "Aucune empreinte déclarée par le téléphone à comparer"
