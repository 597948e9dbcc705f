"""The daily jobs and when they run (Paris time). `manage.py run_scheduler` runs them.

Any number of machines may run the scheduler: each job runs once a day wherever it first
claims the day in the shared cache (Redis), so a second scheduler is a spare, not a duplicate.
A job added to the portal is added here, and nowhere else.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

logger = logging.getLogger("connect.schedule")


@dataclass(frozen=True)
class DailyJob:
    command: str
    at: time
    args: tuple[str, ...] = ()


DAILY_JOBS = (
    DailyJob("sweep_document_files", time(3, 0)),
    DailyJob("sweep_uploads", time(3, 15)),
    DailyJob("prune_plate_probes", time(3, 20)),
    # Failed jobs stay listed for administrators ("Tâches en échec") longer than the others.
    DailyJob(
        "prune_db_task_results",
        time(3, 30),
        ("--min-age-days", "14", "--failed-min-age-days", "90"),
    ),
    DailyJob("reap_jobs", time(3, 45)),
    DailyJob("prune_login_failures", time(4, 0)),
    # The list's kept counts recounted: any drift logged, in the metric, and repaired.
    DailyJob("check_counts", time(4, 15)),
    DailyJob("delete_idle_insured_accounts", time(4, 30)),
    # The core system's batch jobs, once their status has been readable for two weeks.
    DailyJob("prune_batch_jobs", time(4, 45)),
    DailyJob("send_daily_digests", time(6, 30)),
    DailyJob("send_overdue_digests", time(7, 0)),
    # Each client user's monthly e-mail: sent by the month's first run, once (MonthlyReport).
    DailyJob("send_client_monthly_reports", time(7, 0)),
)


def due(job: DailyJob, now: datetime) -> bool:
    return timezone.localtime(now).time() >= job.at


def claim(job: DailyJob, day: date) -> bool:
    """True once per job and day across every scheduler sharing the cache."""
    return cache.add(f"schedule:{job.command}:{day.isoformat()}", "1", timeout=3 * 24 * 3600)


def run_due(now: datetime | None = None) -> list[str]:
    """Run every job due today and not yet run by any scheduler; returns the commands run."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    ran = []
    for job in DAILY_JOBS:
        if not due(job, now) or not claim(job, day):
            continue
        logger.info("daily job %s starts", job.command)
        try:
            call_command(job.command, *job.args, verbosity=0)
        except Exception:
            logger.exception("daily job %s failed", job.command)
        else:
            logger.info("daily job %s done", job.command)
        ran.append(job.command)
    return ran
