"""The appointment as an iCalendar event (RFC 5545), to add to the owner's calendar."""

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone

from connect.dossiers.models import Dossier

EXAM_LENGTH = timedelta(hours=1)


def _text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued by a space (§3.1), never splitting a character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return "\r\n".join([*out, current])


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def appointment_ics(dossier: Dossier) -> str:
    assert dossier.appointment_at is not None
    garage = dossier.garage
    place = ", ".join(
        p for p in (garage.name, garage.address, garage.postal_code, garage.city) if p
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_text(settings.FIRM_NAME)}//{_text(settings.PORTAL_NAME)}//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{dossier.code}-rdv@{_text(settings.PORTAL_URL.split('//')[-1].strip('/'))}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(dossier.appointment_at)}",
        f"DTEND:{_utc(dossier.appointment_at + EXAM_LENGTH)}",
        f"SUMMARY:{_text(f'Examen de votre véhicule ({settings.FIRM_NAME})')}",
        f"LOCATION:{_text(place)}",
        f"DESCRIPTION:{_text(f'Dossier {dossier.reference}. Présentez votre véhicule au garage.')}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
