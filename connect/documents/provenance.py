"""Provenance of a photo as evidence for the expert: when, where and which bytes.

The phone sends, per file, the shot key, the capture time of its clock, the position when the
user allowed it, and the SHA-256 of the original bytes computed at capture (the composer's
parallel lists `shot`, `captured_at`, `latitude`, `longitude`, `sha256`). The server adds the
EXIF DateTimeOriginal of the file and its own SHA-256 on arrival (`Document.sha256`, of the
bytes stored: the original is stored as sent, renditions are separate files).

All of it but the hash on arrival is the phone's word: the page says what was compared (the
hash the phone declared against the bytes received), never that the server vouches for the
capture, and flags the dates that contradict the dossier or each other (`warnings`).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from PIL import Image

from connect.lib.plates import plate_key

SHA256 = re.compile(r"^[0-9a-f]{64}$")
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881
# What the server can say of the hash: the phone's declared one against the bytes it received.
HASH_SAME = "empreinte des octets reçus identique à celle déclarée par le téléphone"
HASH_DIFFERENT = "empreinte des octets reçus différente de celle déclarée par le téléphone"
HASH_ABSENT = "empreinte d'origine absente"
# A phone's clock a few minutes ahead of ours is no lie; a day between its two dates is a flag.
CLOCK_MARGIN = timedelta(minutes=5)
EXIF_DRIFT = timedelta(days=1)


@dataclass(frozen=True)
class Provenance:
    shot: str = ""
    shot_label: str = ""
    captured_at: datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    sha256_capture: str = ""
    confirmed_plate: str = ""

    @classmethod
    def from_device(
        cls,
        *,
        shot: str = "",
        shot_label: str = "",
        captured_at: str = "",
        latitude: str = "",
        longitude: str = "",
        sha256: str = "",
        confirmed_plate: str = "",
    ) -> "Provenance":
        """From the strings a phone posted; what does not parse is dropped, not trusted."""
        lat, lon = _coordinate(latitude, 90), _coordinate(longitude, 180)
        if lat is None or lon is None:
            lat = lon = None
        digest = (sha256 or "").strip().lower()
        return cls(
            shot=shot,
            shot_label=shot_label,
            captured_at=_moment(captured_at),
            latitude=lat,
            longitude=lon,
            sha256_capture=digest if SHA256.match(digest) else "",
            confirmed_plate=confirmed_plate,
        )

    def fields(self) -> dict[str, object]:
        return {
            "shot": self.shot[:40],
            "shot_label": self.shot_label[:80],
            "captured_at": self.captured_at,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "sha256_capture": self.sha256_capture,
            "confirmed_plate": self.confirmed_plate[:20],
        }


def _moment(value: str) -> datetime | None:
    try:
        moment = parse_datetime((value or "").strip())
    except ValueError:
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _coordinate(value: str, bound: int) -> Decimal | None:
    try:
        number = Decimal((value or "").strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) > bound:
        return None
    return number.quantize(Decimal("0.000001"))


def exif_taken_at(file) -> datetime | None:
    """EXIF DateTimeOriginal (with OffsetTimeOriginal when the camera wrote it, else local
    time), or None: many files have none, and it is the camera's word, not proof."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            exif = image.getexif().get_ifd(EXIF_IFD)
            raw, offset = exif.get(DATE_TIME_ORIGINAL), exif.get(OFFSET_TIME_ORIGINAL)
    except (OSError, ValueError, SyntaxError):
        return None
    finally:
        file.seek(0)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if isinstance(offset, str) and re.match(r"^[+-]\d\d:\d\d$", offset.strip()):
        parsed = datetime.fromisoformat(f"{moment.isoformat()}{offset.strip()}")
        return parsed
    return timezone.make_aware(moment)


def summary(document) -> str:
    """The expert's sentence: "Photo prise le 12/03 à 10:42 selon le téléphone, reçue par le
    portail à 10:47, empreinte des octets reçus identique à celle déclarée par le téléphone":
    each fact says whose word it is (server_facts and device_facts list them apart).

    `document` is a Document or a row with its fields (the documents list reads rows).
    """
    taken = document.captured_at or document.exif_taken_at
    if not (taken or document.sha256_capture or document.shot):
        return ""
    zone = timezone.get_current_timezone()
    received = document.created_at.astimezone(zone)
    parts = []
    if taken:
        taken = taken.astimezone(zone)
        source = "selon le téléphone" if document.captured_at else "selon le fichier (EXIF)"
        parts.append(f"Photo prise le {taken:%d/%m} à {taken:%H:%M} {source}")
        same_day = taken.date() == received.date()
        day = "" if same_day else f"le {received:%d/%m} "
        parts.append(f"reçue par le portail {day}à {received:%H:%M}")
    else:
        parts.append(f"Photo reçue par le portail le {received:%d/%m} à {received:%H:%M}")
        parts.append("date de prise de vue inconnue")
    if not document.sha256_capture:
        parts.append(HASH_ABSENT)
    elif document.sha256_capture == document.sha256:
        parts.append(HASH_SAME)
    else:
        parts.append(HASH_DIFFERENT)
    return ", ".join(parts)


def warnings(document, *, mission_on: date | None) -> list[str]:
    """What the expert should not take at its word: a capture date before the dossier's
    mission (`mission_on`), after the photo was received, or a day away from the EXIF date."""
    if not (document.captured_at or document.exif_taken_at or document.sha256_capture):
        return []
    zone = timezone.get_current_timezone()
    dates = [moment for moment in (document.captured_at, document.exif_taken_at) if moment]
    flags = []
    early = [moment.astimezone(zone) for moment in dates]
    early = [moment for moment in early if mission_on and moment.date() < mission_on]
    if early and mission_on:
        flags.append(
            f"Date de prise de vue ({early[0]:%d/%m/%Y}) antérieure à la mission "
            f"({mission_on:%d/%m/%Y})."
        )
    if any(moment > document.created_at + CLOCK_MARGIN for moment in dates):
        flags.append("Date de prise de vue postérieure à la réception de la photo.")
    both = document.captured_at and document.exif_taken_at
    if both and abs(document.captured_at - document.exif_taken_at) > EXIF_DRIFT:
        flags.append("Date du téléphone et date EXIF éloignées de plus d'un jour.")
    return flags


def plate_warning(document, dossier_plate: str) -> str:
    """The expert's warning when the plate the repairer read on the photo is not the dossier's
    (compared as plates are searched: `gg-010 mz` is `GG-010-MZ`); "" when they agree."""
    confirmed = document.confirmed_plate or ""
    if not confirmed or not dossier_plate or plate_key(confirmed) == plate_key(dossier_plate):
        return ""
    return (
        f"Immatriculation lue sur la photo ({confirmed}) différente de celle du dossier "
        f"({dossier_plate}) : à vérifier."
    )


def server_facts(document) -> list[str]:
    """What the portal itself established, one line each: when the bytes arrived, their SHA-256
    as computed on arrival, and what that hash was compared with. Nothing here is the phone's
    word; the seal (documents/seal.py) signs these facts."""
    zone = timezone.get_current_timezone()
    received = document.created_at.astimezone(zone)
    lines = [
        f"Reçue par le portail le {received:%d/%m/%Y} à {received:%H:%M:%S}",
        f"Empreinte SHA-256 calculée à la réception : {short_hash(document.sha256)}",
    ]
    if not document.sha256_capture:
        lines.append("Aucune empreinte déclarée par le téléphone à comparer")
    elif document.sha256_capture == document.sha256:
        lines.append("Comparée à l'empreinte déclarée par le téléphone : identique")
    else:
        lines.append("Comparée à l'empreinte déclarée par le téléphone : différente")
    if document.seal_signature:
        lines.append(f"Scellée par le portail (signature Ed25519, clé « {document.seal_key_id} »)")
    else:
        lines.append("Pas encore scellée par le portail")
    return lines


def device_facts(document) -> list[str]:
    """What the phone and the file say, which the portal cannot check: the shot, the phone's
    capture time, the EXIF time written in the file, the position, the hash it declared and
    the plate the repairer confirmed."""
    zone = timezone.get_current_timezone()
    lines = []
    if document.shot_label:
        lines.append(f"Prise de vue : {document.shot_label}")
    if document.captured_at:
        taken = document.captured_at.astimezone(zone)
        lines.append(f"Prise le {taken:%d/%m/%Y} à {taken:%H:%M} (horloge du téléphone)")
    if document.exif_taken_at:
        exif = document.exif_taken_at.astimezone(zone)
        lines.append(f"Date EXIF du fichier : {exif:%d/%m/%Y} à {exif:%H:%M}")
    if document.latitude is not None and document.longitude is not None:
        lines.append(f"Position : {document.latitude:.5f}, {document.longitude:.5f}")
    if document.sha256_capture:
        lines.append(f"Empreinte déclarée : {short_hash(document.sha256_capture)}")
    if document.confirmed_plate:
        lines.append(f"Immatriculation confirmée par le réparateur : {document.confirmed_plate}")
    return lines


def short_hash(digest: str) -> str:
    """The first 16 hex digits, enough to compare by eye (the full hash is in the evidence
    pack)."""
    return f"{digest[:16]}…" if len(digest) > 16 else digest
