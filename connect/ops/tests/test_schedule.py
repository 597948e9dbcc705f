"""The daily jobs run once a day at their time, whichever scheduler gets there first."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command, get_commands

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
        "prune_db_task_results",
        "send_daily_digests",
        "send_overdue_digests",
    }


def test_jobs_run_at_their_time_once_a_day_across_schedulers():
    night = datetime(2026, 12, 2, 2, 0, tzinfo=PARIS)
    assert schedule.run_due(night) == []
    morning = datetime(2026, 12, 2, 7, 0, tzinfo=PARIS)
    ran = schedule.run_due(morning)
    assert ran == [
        "sweep_document_files",
        "sweep_uploads",
        "prune_db_task_results",
        "send_daily_digests",
        "send_overdue_digests",
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
