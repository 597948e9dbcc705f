"""Reading a photo runs on its own queue (READING_QUEUE) and its own workers (`manage.py
db_worker --queue-name reading`), under READING_TIME_LIMIT_SECONDS: OCR costs seconds of CPU,
and the e-mails, webhooks and thumbnails of the default queue never wait behind it. A reading
that fails is recorded as failed; the message and its documents were committed before."""

import logging

from django.core.files.storage import default_storage
from django_tasks import task

from connect.jobs.queue import TimeLimitExceeded, Transient
from connect.readings import engine, services
from connect.readings.models import Reading, Verdict

logger = logging.getLogger(__name__)

READING_QUEUE = "reading"


@task(queue_name=READING_QUEUE)
def read_photo(reading_id: int) -> None:
    """Read the photo of a pending reading and record its verdict; idempotent."""
    reading = Reading.objects.select_related("dossier", "document").filter(pk=reading_id).first()
    if reading is None or reading.done:
        return
    try:
        result = engine.read_text(_photo_bytes(reading))
    except TimeLimitExceeded:
        services.record_failure(reading=reading, detail="lecture trop longue, abandonnée")
        return
    except OSError as error:
        raise Transient(f"storage: {error}") from error  # the storage may come back
    except Exception:
        logger.exception("reading %s failed", reading_id)
        services.record_failure(reading=reading, detail="photo illisible par le moteur")
        return
    services.record_result(reading=reading, result=result)


def _photo_bytes(reading: Reading) -> bytes:
    if reading.probe is not None:
        return bytes(reading.probe)
    assert reading.document is not None  # a reading is of a document or of a probe
    with default_storage.open(str(reading.document.file.name), "rb") as file:
        return file.read()


__all__ = ["READING_QUEUE", "Verdict", "read_photo"]
