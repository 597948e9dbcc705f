"""Leases, retries and the reaper on top of django-tasks-db's table (README: "Background jobs").

A job row keeps its id across every attempt (a retry puts the same row back in the queue), so
the id is the delivery key of whatever the job sends. `len(worker_ids)` counts the attempts.
"""

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from traceback import format_exception

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction

from connect.jobs.models import Delivery, Lease

logger = logging.getLogger("connect.jobs")


class Transient(Exception):
    """Raised by a job for a failure that may heal (SMTP refused, a 5xx): retry with backoff.

    `probe_in`: this job is the one watching a service that is down (connect/mail.py): it is
    tried again after exactly that delay and the attempt is not counted, so an outage of any
    length spends none of its attempts and its success can bring the others forward."""

    def __init__(self, *args: object, probe_in: timedelta | None = None) -> None:
        super().__init__(*args)
        self.probe_in = probe_in


class TimeLimitExceeded(Exception):
    """The job ran past JOB_TIME_LIMIT_SECONDS: this attempt stops, a later one may succeed."""


class LeaseExpired(Exception):
    """Recorded on a job whose worker stopped renewing its lease (killed, frozen, cut off)."""


def time_limit(queue_name: str) -> int:
    """The longest run of one attempt on this queue, in seconds (JOB_QUEUE_TIME_LIMITS)."""
    return settings.JOB_QUEUE_TIME_LIMITS.get(queue_name, settings.JOB_TIME_LIMIT_SECONDS)


def lease_duration() -> timedelta:
    return timedelta(seconds=settings.JOB_LEASE_SECONDS)


def retry_delay(attempt: int) -> timedelta:
    """The retry schedule of every job (webhook notices included): the first delay doubled at
    each attempt, up to the longest."""
    seconds = min(
        settings.JOB_RETRY_FIRST_SECONDS * 2 ** (attempt - 1), settings.JOB_RETRY_MAX_SECONDS
    )
    return timedelta(seconds=seconds)


def backoff(attempt: int) -> timedelta:
    """Full jitter: random in [0, retry_delay], never under a second, so a burst of failures
    does not come back as one burst."""
    ceiling = retry_delay(attempt).total_seconds()
    return timedelta(seconds=max(1.0, random.uniform(0, ceiling)))  # noqa: S311 - jitter


def attempts(job: DBTaskResult) -> int:
    return len(job.worker_ids)


def claim(job: DBTaskResult, worker_id: str) -> None:
    """Inside the claiming transaction: mark the job running and give it a lease."""
    job.claim(worker_id)
    Lease.objects.update_or_create(
        task=job, defaults={"worker_id": worker_id, "expires_at": timezone.now() + lease_duration()}
    )


def renew(job_id, worker_id: str) -> bool:
    """The heartbeat: False when the lease is no longer this worker's (it was reaped)."""
    expires_at = timezone.now() + lease_duration()
    return bool(
        Lease.objects.filter(task_id=job_id, worker_id=worker_id).update(expires_at=expires_at)
    )


@transaction.atomic
def finish(job: DBTaskResult, worker_id: str, record: Callable[[], object]) -> bool:
    """Write a job's outcome only while its lease is still this worker's: a worker that came
    back after its job was reaped must not overwrite the outcome of the attempt that replaced it."""
    owned = Lease.objects.filter(task=job, worker_id=worker_id).delete()[0]
    if not owned:
        logger.warning("job %s: lease lost to the reaper, outcome not recorded", job.pk)
        return False
    record()
    return True


def _record_error(job: DBTaskResult, exc: BaseException) -> None:
    job.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
    job.traceback = "".join(format_exception(exc))


def retry_or_fail(job: DBTaskResult, exc: BaseException, *, now: datetime | None = None) -> bool:
    """After a transient failure: back in the queue after a backoff, or failed once
    JOB_MAX_ATTEMPTS are spent. True when it will run again."""
    now = now or timezone.now()
    probe_in = getattr(exc, "probe_in", None)
    if probe_in is None and attempts(job) >= settings.JOB_MAX_ATTEMPTS:
        job.set_failed(exc)
        logger.error("job %s (%s) failed after %d attempts", job.pk, job.task_path, attempts(job))
        return False
    _record_error(job, exc)
    job.status = "READY"
    if probe_in is not None:
        job.worker_ids = job.worker_ids[:-1]  # a probe's attempt is not counted
    run_after = now + (probe_in if probe_in is not None else backoff(attempts(job)))
    job.run_after = run_after
    job.save(
        update_fields=["status", "run_after", "exception_class_path", "traceback", "worker_ids"]
    )
    logger.warning(
        "job %s (%s) attempt %d failed (%s), next at %s",
        job.pk,
        job.task_path,
        attempts(job),
        type(exc).__name__,
        run_after.isoformat(),
    )
    return True


def requeue_now(job: DBTaskResult) -> None:
    """A worker asked to stop mid-job gives the job back at once (no failure counted here:
    the attempt is in worker_ids, which JOB_MAX_ATTEMPTS bounds anyway)."""
    job.status = "READY"
    job.run_after = timezone.now()
    job.save(update_fields=["status", "run_after"])


def reap(*, backend_name: str = "default", now: datetime | None = None) -> int:
    """Put back in the queue every running job whose lease ran out (its worker died), or fail
    it when its attempts are spent. Any worker calls this now and then; so does `reap_jobs`."""
    now = now or timezone.now()
    expired = DBTaskResult.objects.running().filter(backend_name=backend_name)
    # A row claimed without a lease (a worker of the library itself) counts from started_at.
    expired = expired.filter(lease__expires_at__lt=now) | expired.filter(
        lease__isnull=True, started_at__lt=now - lease_duration()
    )
    reaped = 0
    with exclusive_transaction(DBTaskResult.objects.db):
        for job in expired.select_for_update(skip_locked=True, of=("self",)):
            error = LeaseExpired(f"lease expired (workers: {', '.join(job.worker_ids)})")
            Lease.objects.filter(task=job).delete()
            retry_or_fail(job, error, now=now)
            reaped += 1
    if reaped:
        logger.warning("reaped %d job%s whose lease expired", reaped, "s" if reaped > 1 else "")
    return reaped


@transaction.atomic
def send_once(key: str, send: Callable[[], None]) -> bool:
    """Send an effect at most once per key, the record written in the transaction that sends:
    False when a previous run already sent it. The row lock keeps two runs of one job (a lease
    lost and taken over) from sending together. Should the process die after the receiver
    accepted and before the commit, the next run sends again with the same key (the
    Message-ID, the X-Connect-Delivery header), by which the receiver recognises it."""
    # The row is inserted (or locked) before sending: a concurrent run waits on it.
    delivery, _ = Delivery.objects.select_for_update().get_or_create(key=key)
    if delivery.sent_at is not None:
        return False
    send()
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["sent_at"])
    return True


def beat(worker_id: str) -> None:
    """This worker is alive (see models.WorkerBeat); beats older than a day are forgotten."""
    from connect.jobs.models import WorkerBeat

    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": now})
    WorkerBeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def last_beat_seconds_ago() -> int | None:
    """Seconds since any worker last showed a sign of life (None: none ever did)."""
    from django.db.models import Max

    from connect.jobs.models import WorkerBeat

    last = WorkerBeat.objects.aggregate(last=Max("seen_at"))["last"]
    return None if last is None else round((timezone.now() - last).total_seconds())


def counts(*, backend_name: str = "default") -> dict[str, int]:
    """What a health page shows of the queue: jobs waiting their turn (due now), running, and
    failed for good (listed in the admin), in one query."""
    from django.db.models import Count, Q

    jobs = DBTaskResult.objects.filter(backend_name=backend_name)
    due = Q(status="READY") & (Q(run_after__lte=timezone.now()) | Q(run_after=get_date_max()))
    return jobs.aggregate(
        waiting=Count("pk", filter=due),
        running=Count("pk", filter=Q(status="RUNNING")),
        failed=Count("pk", filter=Q(status="FAILED")),
    )
