"""The database worker, with leases, a heartbeat, retries, a time limit, a stop grace period
and patience with the database (README: "Background jobs")."""

import contextlib
import logging
import signal
import sys
import threading
import time
from types import FrameType

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django_tasks.base import TaskContext
from django_tasks_db.compat import task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from connect.jobs import queue

logger = logging.getLogger("connect.jobs")

# Failures that may heal by themselves: retried with backoff rather than failed at once.
TRANSIENT = (
    queue.Transient,
    queue.TimeLimitExceeded,
    ConnectionError,
    TimeoutError,
    OperationalError,
    InterfaceError,
)


class StopRequested(BaseException):
    """Raised inside a job when the stop grace period is over: the job goes back to the queue."""


class LeasedWorker(Worker):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.job: DBTaskResult | None = None
        self.stopping = False
        self.next_reap = 0.0
        self.database_down_since: float | None = None

    # Signals ------------------------------------------------------------------------------

    def configure_signals(self) -> None:
        super().configure_signals()
        signal.signal(signal.SIGALRM, self.alarm)

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping or not self.running_task:
            logger.warning("%s: worker %s stops", signal.strsignal(signum), self.worker_id)
            sys.exit(0)
        # Let the job finish within the grace period; past it, the alarm stops the job.
        self.stopping = True
        self.running = False
        grace = settings.JOB_STOP_GRACE_SECONDS
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        if not remaining or remaining > grace:
            signal.setitimer(signal.ITIMER_REAL, grace)
        logger.warning(
            "%s: worker %s stops within %s s", signal.strsignal(signum), self.worker_id, grace
        )

    def alarm(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            raise StopRequested
        raise queue.TimeLimitExceeded("over its queue's time limit (JOB_QUEUE_TIME_LIMITS)")

    # The loop -----------------------------------------------------------------------------

    def run(self) -> None:
        logger.info("worker %s starts", self.worker_id)
        while self.running:
            try:
                ran = self.step()
            except (OperationalError, InterfaceError) as error:
                if self.batch:
                    raise  # a drain (the tests' run_tasks) reports the error
                self.wait_for_database(error)
                continue
            if self.database_down_since is not None:
                logger.warning("worker %s: database back", self.worker_id)
                self.database_down_since = None
            if ran is None:
                return  # batch finished or max tasks reached
            if self.running and not ran:
                time.sleep(self.interval)

    def step(self) -> bool | None:
        """Reap when due, claim one job and run it. True: ran one; False: queue empty;
        None: the worker is done (batch mode drained, or --max-tasks reached)."""
        close_old_connections()
        if time.monotonic() >= self.next_reap:
            queue.reap(backend_name=self.backend_name)
            queue.beat(self.worker_id)
            self.next_reap = time.monotonic() + settings.JOB_LEASE_SECONDS / 2
        job = self.claim_next()
        if job is not None:
            self.run_task(job)
        if self.batch and job is None:
            return None
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return None
        return job is not None

    def claim_next(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                job = tasks.get_locked()
                if job is not None:
                    queue.claim(job, self.worker_id)
                return job
        except OperationalError as error:
            if is_locked_database_exception(error):
                return None
            raise

    def wait_for_database(self, error: Exception) -> None:
        """The database is away: keep trying with a growing pause instead of exiting."""
        now = time.monotonic()
        if self.database_down_since is None:
            self.database_down_since = now
            logger.error("worker %s: database unreachable (%s), retrying", self.worker_id, error)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
            with contextlib.suppress(DatabaseError):
                connection.close()
        down_for = now - self.database_down_since
        time.sleep(min(0.5 + down_for / 4, 10.0))

    # One job ------------------------------------------------------------------------------

    def run_task(self, db_task_result: DBTaskResult) -> None:
        job = db_task_result
        heartbeat = Heartbeat(job.pk, self.worker_id)
        in_main_thread = threading.current_thread() is threading.main_thread()
        self.running_task = True
        outcome: BaseException | None = None
        value = None
        try:
            if in_main_thread:
                signal.setitimer(signal.ITIMER_REAL, queue.time_limit(job.queue_name))
            heartbeat.start()
            value = self.call(job)
        except StopRequested as stop:
            outcome = stop
        except Exception as error:
            outcome = error
        finally:
            if in_main_thread:
                signal.setitimer(signal.ITIMER_REAL, 0)
            heartbeat.stop()
            self.running_task = False
            self._run_tasks += 1
        # The outcome is recorded once the alarm is off. Should the database be away, this
        # raises: the loop waits for it and the lease brings the job back.
        if outcome is None:
            queue.finish(job, self.worker_id, lambda: job.set_successful(value))
        elif isinstance(outcome, StopRequested):
            queue.finish(job, self.worker_id, lambda: queue.requeue_now(job))
            logger.warning("job %s given back to the queue: the worker stops", job.pk)
        elif isinstance(outcome, TRANSIENT):
            queue.finish(job, self.worker_id, lambda: queue.retry_or_fail(job, outcome))
        else:
            logger.error("job %s (%s) failed", job.pk, job.task_path, exc_info=outcome)
            queue.finish(job, self.worker_id, lambda: job.set_failed(outcome))
        if job.status in {"SUCCESSFUL", "FAILED"}:
            # As django-tasks-db's worker does, for whoever listens (its result logging).
            with contextlib.suppress(ImportError):
                task_finished.send(sender=type(job.task.get_backend()), task_result=job.task_result)

    def call(self, job: DBTaskResult):
        task = job.task
        task_result = job.task_result
        task_started.send(sender=type(task.get_backend()), task_result=task_result)
        if task.takes_context:
            context = TaskContext(task_result=task_result)  # type: ignore[arg-type]
            return task.call(context, *task_result.args, **task_result.kwargs)
        return task.call(*task_result.args, **task_result.kwargs)


class Heartbeat(threading.Thread):
    """Renews the job's lease every third of its length, on its own database connection."""

    def __init__(self, job_id, worker_id: str):
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id, self.worker_id = job_id, worker_id
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(settings.JOB_LEASE_SECONDS / 3):
                try:
                    if not queue.renew(self.job_id, self.worker_id):
                        logger.warning("job %s: lease lost", self.job_id)
                        return
                except DatabaseError as error:
                    logger.warning("job %s: lease not renewed (%s)", self.job_id, error)
                    connections.close_all()
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.done.set()
