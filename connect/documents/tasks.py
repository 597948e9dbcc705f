import logging

from django_tasks import task

from connect.documents.models import Document
from connect.documents.renditions import make_renditions
from connect.jobs.queue import TimeLimitExceeded, Transient

logger = logging.getLogger(__name__)


@task()
def make_document_renditions(document_id: int) -> None:
    """Thumbnail and preview of a photo; idempotent, so a retried job does no harm."""
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not document.is_photo or document.thumbnail:
        return
    try:
        thumbnail, preview = make_renditions(document)
    except TimeLimitExceeded:
        raise  # the worker retries it later
    except OSError as error:
        # The storage failed (disk full, a 5xx of object storage): that may heal, retry later.
        raise Transient(f"storage: {error}") from error
    except Exception:
        # The upload was validated: a failure here is ours. Keep the placeholder, say so.
        logger.exception("rendition failed for document %s", document_id)
        Document.objects.filter(pk=document_id).update(rendition_failed=True)
        return
    Document.objects.filter(pk=document_id).update(thumbnail=thumbnail, preview=preview)
