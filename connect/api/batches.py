"""The core system's large batches, off the web workers: stored by the request, applied by a job.

POST /dossiers/batch over API_BATCH_SYNC_MAX items (or with `Prefer: respond-async`) stores the
validated items in a BatchJob and enqueues `apply_batch_job`, in the request's transaction (and
its idempotency key's: a replay answers the same job). The job applies the batch all or
nothing, as a small batch is applied in the request (endpoints/dossiers.py::apply_batch), and
records the outcome in the job's row and in the feed (`batch.done`, `batch.failed`), in the
same transaction. A job run twice (a lease lost, a retry) finds its row no longer queued and
does nothing; a deadlock with a concurrent writer is retried with the queue's backoff.
"""

import logging

from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from connect.api.errors import ApiError
from connect.api.events import record_event
from connect.api.models import BatchJob
from connect.api.schemas import BatchAccepted, BatchIn, BatchOut, BatchStatusOut, DossierBatchItem
from connect.jobs.queue import Transient

logger = logging.getLogger(__name__)

# Before the e-mails' 50: the core system waits for its batch's outcome.
BATCH_PRIORITY = 60


def accept(*, token, payload: BatchIn) -> BatchAccepted:
    """In the request's transaction: the batch stored and its job enqueued."""
    job = BatchJob.objects.create(
        token=token,
        items=len(payload.dossiers),
        payload=[item.model_dump(mode="json") for item in payload.dossiers],
    )
    apply_batch_job.enqueue(job_id=job.pk)
    return BatchAccepted(**_head(job))


def _head(job: BatchJob) -> dict:
    return {
        "job": str(job.code),
        "state": job.state,
        "items": job.items,
        "status_url": reverse("api:get_batch_job", kwargs={"code": job.code}),
    }


def status(job: BatchJob) -> BatchStatusOut:
    done = job.state == BatchJob.State.DONE
    failed = job.state == BatchJob.State.FAILED
    return BatchStatusOut(
        **_head(job),
        created_at=job.created_at,
        finished_at=job.finished_at,
        result=BatchOut(**job.result) if done and job.result else None,
        error=job.result if failed else None,
    )


@task(priority=BATCH_PRIORITY)
def apply_batch_job(*, job_id: int) -> str:
    try:
        return _apply(job_id)
    except OperationalError as error:  # a deadlock or a lost connection: try again later
        raise Transient(str(error)) from error


@transaction.atomic
def _apply(job_id: int) -> str:
    from connect.api.endpoints.dossiers import apply_batch

    job = BatchJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state != BatchJob.State.QUEUED:
        return "already applied"
    items = [DossierBatchItem.model_validate(item) for item in job.payload]
    try:
        with transaction.atomic():
            result = apply_batch(items).model_dump(mode="json")
    except ApiError as refusal:
        job.state, job.result = BatchJob.State.FAILED, refusal.body()
        record_event("batch.failed", payload={"job": str(job.code), **refusal.body()})
    else:
        job.state, job.result = BatchJob.State.DONE, result
        record_event("batch.done", payload={"job": str(job.code), **result})
    job.payload = []
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "result", "payload", "finished_at"])
    logger.info("batch %s: %s (%d items)", job.code, job.state, job.items)
    return job.state
