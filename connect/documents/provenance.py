"""Provenance of a photo as evidence for the expert: when, where and which bytes.

The phone sends, per file, the shot key, the capture time of its clock, the position when the
user allowed it, and the SHA-256 of the original bytes computed at capture (the composer's
parallel lists `shot`, `captured_at`, `latitude`, `longitude`, `sha256`). The server adds the
EXIF DateTimeOriginal of the file and its own SHA-256 on arrival (`Document.sha256`, of the
bytes stored: the original is stored as sent, renditions are separate files), so "intacte"
means the stored original is the file the phone hashed when the photo was taken.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from PIL import Image

from connect.lib.plates import plate_key

SHA256 = re.compile(r"^[0-9a-f]{64}$")
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881


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
    """The expert's sentence: "Photo prise le 12/03 à 10:42, reçue à 10:47, intacte".

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
        source = "" if document.captured_at else " (date EXIF)"
        parts.append(f"Photo prise le {taken:%d/%m} à {taken:%H:%M}{source}")
        same_day = taken.date() == received.date()
        parts.append(f"reçue {'' if same_day else f'le {received:%d/%m} '}à {received:%H:%M}")
    else:
        parts.append(f"Photo reçue le {received:%d/%m} à {received:%H:%M}")
        parts.append("date de prise de vue inconnue")
    if not document.sha256_capture:
        parts.append("empreinte d'origine absente")
    elif document.sha256_capture == document.sha256:
        parts.append("intacte")
    else:
        parts.append("modifiée depuis la prise de vue")
    return ", ".join(parts)


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


def details(document) -> list[str]:
    """The other facts kept, one short line each (shot, EXIF time when it differs, position,
    confirmed plate)."""
    zone = timezone.get_current_timezone()
    lines = []
    if document.shot_label:
        lines.append(f"Prise de vue : {document.shot_label}")
    if document.captured_at and document.exif_taken_at:
        drift = abs((document.captured_at - document.exif_taken_at).total_seconds())
        if drift > 300:
            exif = document.exif_taken_at.astimezone(zone)
            lines.append(f"Date EXIF différente : {exif:%d/%m/%Y} à {exif:%H:%M}")
    if document.latitude is not None and document.longitude is not None:
        lines.append(f"Position : {document.latitude:.5f}, {document.longitude:.5f}")
    if document.confirmed_plate:
        lines.append(f"Immatriculation confirmée par le réparateur : {document.confirmed_plate}")
    return lines
