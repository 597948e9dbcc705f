"""The daily jobs run once a day at their time, whichever scheduler gets there first."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from connect.accounts.models import LoginFailure
from connect.jobs.models import Lease
from connect.mail import send_email
from connect.ops import schedule

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_every_daily_job_is_a_command_of_the_portal():
    commands = get_commands()
    assert all(job.command in commands for job in schedule.DAILY_JOBS)
    names = {job.command for job in schedule.DAILY_JOBS}
    assert names == {
        "sweep_document_files",
        "sweep_uploads",
        "prune_plate_probes",
        "prune_db_task_results",
        "reap_jobs",
        "prune_login_failures",
        "check_counts",
        "delete_idle_insured_accounts",
        "prune_batch_jobs",
        "send_daily_digests",
        "send_overdue_digests",
        "send_client_monthly_reports",
    }


def test_jobs_run_at_their_time_once_a_day_across_schedulers():
    night = datetime(2026, 12, 2, 2, 0, tzinfo=PARIS)
    assert schedule.run_due(night) == []
    morning = datetime(2026, 12, 2, 7, 0, tzinfo=PARIS)
    ran = schedule.run_due(morning)
    assert ran == [
        "sweep_document_files",
        "sweep_uploads",
        "prune_plate_probes",
        "prune_db_task_results",
        "reap_jobs",
        "prune_login_failures",
        "check_counts",
        "delete_idle_insured_accounts",
        "prune_batch_jobs",
        "send_daily_digests",
        "send_overdue_digests",
        "send_client_monthly_reports",
    ]
    # A second scheduler (same cache) the same day: nothing again.
    assert schedule.run_due(morning) == []
    next_day = datetime(2026, 12, 3, 3, 10, tzinfo=PARIS)
    assert schedule.run_due(next_day) == ["sweep_document_files"]


def test_the_command_makes_one_pass(monkeypatch):
    morning = datetime(2026, 12, 2, 7, 0, tzinfo=PARIS)  # every job is due
    monkeypatch.setattr(schedule.timezone, "now", lambda: morning)
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue().splitlines() == [f"{job.command} : fait" for job in schedule.DAILY_JOBS]
    again = StringIO()
    call_command("run_scheduler", "--once", stdout=again)
    assert again.getvalue() == ""  # the day is claimed: one pass, not a loop


def a_job() -> DBTaskResult:
    result = send_email.enqueue(to=["atelier@example.fr"], subject="Objet", text="Texte")
    return DBTaskResult.objects.get(pk=result.id)


def finished_job(status: str, *, days_ago: int) -> DBTaskResult:
    job = a_job()
    job.status, job.finished_at = status, timezone.now() - timedelta(days=days_ago)
    job.save()
    return job


def test_the_daily_prune_keeps_failed_jobs_for_ninety_days():
    old_success = finished_job("SUCCESSFUL", days_ago=20)
    recent_failure = finished_job("FAILED", days_ago=20)
    old_failure = finished_job("FAILED", days_ago=100)
    schedule.run_due(datetime(2026, 12, 2, 3, 30, tzinfo=PARIS))
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert recent_failure.pk in left  # still listed for administrators
    assert old_success.pk not in left and old_failure.pk not in left


def test_the_daily_reap_puts_back_a_job_whose_worker_died():
    job = a_job()
    job.claim("dead-worker")
    Lease.objects.create(task=job, worker_id="dead-worker", expires_at=timezone.now())
    assert "reap_jobs" in schedule.run_due(datetime(2026, 12, 2, 3, 45, tzinfo=PARIS))
    job.refresh_from_db()
    assert job.status == "READY" and not Lease.objects.exists()


def test_the_daily_jobs_forget_login_failures_past_the_throttle_windows():
    LoginFailure.objects.create(username="recent@test.fr", ip="1.1.1.1")
    LoginFailure.objects.create(
        username="old@test.fr", ip="1.1.1.1", at=timezone.now() - timedelta(hours=25)
    )
    assert "prune_login_failures" in schedule.run_due(datetime(2026, 12, 2, 4, 0, tzinfo=PARIS))
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["recent@test.fr"]
