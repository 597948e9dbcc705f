"""Readings: asked in the writer's transaction, recorded by the worker (tasks.read_photo)."""

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from connect.readings import engine, odometers, plates, vins
from connect.readings.models import SHOT_KINDS, Kind, Reading, Verdict

# An odometer compared with at most this many earlier readings of the vehicle.
EARLIER_ODOMETERS = 20
# A plate read on the phone serves the capture it was taken in; the sent photo has its own.
PROBE_LIFETIME = timedelta(days=1)


def schedule_readings(documents: Iterable) -> list[Reading]:
    """A pending reading for each photo of a plate, VIN or odometer shot, enqueued in the
    caller's transaction (the message's): none if it rolls back, all if it commits."""
    from connect.readings.tasks import read_photo

    readings = [
        Reading.objects.create(
            dossier_id=document.dossier_id, document=document, kind=SHOT_KINDS[document.shot]
        )
        for document in documents
        if document.is_photo and document.shot in SHOT_KINDS
    ]
    for reading in readings:
        read_photo.enqueue(reading.pk)
    return readings


@transaction.atomic
def request_probe(*, dossier, user, data: bytes) -> Reading:
    """A plate shot to read on the phone before the message goes (its bytes checked by the
    caller: an image of an accepted type, bounded in size)."""
    from connect.readings.tasks import read_photo

    reading = Reading.objects.create(
        dossier=dossier, requested_by=user, kind=Kind.PLATE, probe=data
    )
    read_photo.enqueue(reading.pk)
    return reading


def record_result(*, reading: Reading, result: engine.OcrResult) -> Reading:
    lines = result.texts
    verdict, value, detail = _judge(reading, lines)
    reading.raw_text = "\n".join(lines)[:2000]
    reading.value, reading.verdict, reading.detail = value[:40], verdict, detail[:200]
    reading.confidence = result.confidence
    reading.cpu_ms = result.cpu_ms
    return _finish(reading)


def record_failure(*, reading: Reading, detail: str) -> Reading:
    reading.verdict, reading.detail = Verdict.FAILED, detail
    return _finish(reading)


def _finish(reading: Reading) -> Reading:
    reading.engine = engine.engine_name()
    reading.read_at = timezone.now()
    reading.probe = None  # a probe's bytes are kept only until read
    with transaction.atomic():
        reading.save()
        if reading.document_id is not None:
            _seal_with(reading, reading.document_id)
    return reading


def _seal_with(reading: Reading, document_id: int) -> None:
    """The photo's reading joins its document's readings, and the document is sealed again in
    the same transaction: its seal always covers what the portal says it read
    (connect/documents/seal.py)."""
    from connect.documents.models import Document
    from connect.documents.seal import seal_document

    row = Document.objects.select_for_update().select_related("dossier").get(pk=document_id)
    facts = {
        "kind": reading.kind,
        "value": reading.value,
        "verdict": reading.verdict,
        "detail": reading.detail,
        "engine": reading.engine,
        "read_at": reading.read_at.isoformat() if reading.read_at else "",
    }
    row.readings = [r for r in row.readings or [] if r.get("kind") != reading.kind] + [facts]
    Document.objects.filter(pk=row.pk).update(readings=row.readings)
    seal_document(row)


def _judge(reading: Reading, lines: list[str]) -> tuple[str, str, str]:
    if reading.kind == Kind.PLATE:
        plate = plates.judge(lines, reading.dossier.plate)
        return plate.verdict, plate.read, ""
    if reading.kind == Kind.VIN:
        vin = vins.judge(lines)
        if vin.verdict == vins.VinVerdict.UNREADABLE:
            return Verdict.UNREADABLE, "", ""
        key = "clé de contrôle conforme" if vin.check_digit_ok else "clé de contrôle non vérifiée"
        expected = reading.dossier.vin
        if not expected:
            return Verdict.VALID, vin.read, key
        if vin.read == expected:
            return Verdict.MATCH, vin.read, key
        return Verdict.MISMATCH, vin.read, f"VIN du dossier : {expected}"
    earlier = earlier_odometer(reading)
    odometer = odometers.judge(lines, earlier[0] if earlier else None)
    detail = ""
    if odometer.verdict == odometers.OdometerVerdict.LOWER and earlier:
        detail = f"relevé du {earlier[1]:%d/%m/%Y} : {earlier[0]} km"
    return odometer.verdict, "" if odometer.km is None else str(odometer.km), detail


def earlier_odometer(reading: Reading):
    """(km, when) of the highest odometer read before on the same vehicle (the dossier's plate,
    across its dossiers; the dossier alone when it has none), or None."""
    dossier = reading.dossier
    same_vehicle = (
        {"dossier__plate_key": dossier.plate_key} if dossier.plate_key else {"dossier": dossier}
    )
    rows = (
        Reading.objects.filter(
            kind=Kind.ODOMETER,
            verdict__in=(Verdict.READ, Verdict.CONSISTENT, Verdict.LOWER),
            read_at__isnull=False,
            **same_vehicle,
        )
        .exclude(pk=reading.pk)
        .order_by("-read_at")
        .values_list("value", "read_at")[:EARLIER_ODOMETERS]
    )
    readings = [(int(value), when) for value, when in rows if value.isascii() and value.isdigit()]
    return max(readings, default=None, key=lambda row: row[0])


def prune_probes() -> int:
    """Delete the phone's plate readings past PROBE_LIFETIME, read or not (a worker that never
    came leaves its bytes): the daily `prune_plate_probes`."""
    cutoff = timezone.now() - PROBE_LIFETIME
    return Reading.objects.filter(document__isnull=True, created_at__lt=cutoff).delete()[0]
