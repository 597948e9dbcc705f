"""The queue's leases, retries, reaper and send-once records, run by the real worker in-process
(the faults module kills real worker processes: tests/test_faults.py)."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from connect.jobs import queue
from connect.jobs.models import Delivery, FailedJob, Lease
from connect.jobs.tests import tasks
from connect.mail import message_id, send_email
from connect.testing import login_as, run_tasks
from connect.testing.servers import port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calls():
    tasks.CALLS.clear()


def row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def due_now(result) -> None:
    DBTaskResult.objects.filter(pk=result.id).update(run_after=timezone.now())


def test_a_transient_failure_comes_back_later_then_succeeds_on_the_same_row():
    result = tasks.flaky.enqueue(fail_times=1)
    run_tasks()
    job = row(result)
    assert job.status == "READY" and len(job.worker_ids) == 1
    assert job.run_after > timezone.now()  # the backoff holds it (at least a second)
    assert job.exception_class_path == "connect.jobs.queue.Transient"
    run_tasks()
    assert tasks.CALLS == ["flaky"]  # not due yet: the drain leaves it
    due_now(result)
    run_tasks()
    job = row(result)
    assert job.status == "SUCCESSFUL" and job.return_value == "done" and len(job.worker_ids) == 2
    assert not Lease.objects.exists()


def test_attempts_spent_mean_failed_and_listed_for_administrators(settings, client, world):
    settings.JOB_MAX_ATTEMPTS = 3
    result = tasks.flaky.enqueue(fail_times=99)
    for _ in range(3):
        due_now(result)
        run_tasks()
    job = row(result)
    assert job.status == "FAILED" and len(job.worker_ids) == 3
    assert FailedJob.objects.filter(pk=job.pk, status="FAILED").exists()
    assert FailedJob in admin.site._registry
    login_as(client, world.admin)
    page = client.get(reverse("admin:jobs_failedjob_changelist"))
    assert page.status_code == 200 and "flaky" in page.content.decode()


def test_a_bug_fails_at_once():
    result = tasks.broken.enqueue()
    run_tasks()
    job = row(result)
    assert job.status == "FAILED" and job.exception_class_path == "builtins.ValueError"


def test_the_retry_delay_doubles_from_the_first_to_the_longest(settings):
    settings.JOB_RETRY_FIRST_SECONDS, settings.JOB_RETRY_MAX_SECONDS = 30, 3600
    delays = [queue.retry_delay(attempt) for attempt in range(1, 10)]
    assert delays[0] == timedelta(seconds=30) and delays[1] == timedelta(seconds=60)
    assert delays == sorted(delays) and delays[-1] == timedelta(hours=1)


def test_backoff_grows_with_jitter_and_is_capped(settings):
    settings.JOB_RETRY_FIRST_SECONDS, settings.JOB_RETRY_MAX_SECONDS = 30, 3600
    delays = {attempt: [queue.backoff(attempt) for _ in range(200)] for attempt in (1, 4, 12)}
    assert all(timedelta(seconds=1) <= d <= timedelta(seconds=30) for d in delays[1])
    assert all(d <= timedelta(seconds=240) for d in delays[4])
    assert all(d <= timedelta(hours=1) for d in delays[12])
    assert max(delays[12]) > timedelta(minutes=30)  # the cap, not the first delay, bounds it
    assert len(set(delays[1])) > 100  # jittered: a burst does not come back as one burst


def expired_running_job(*, attempts: int, worker="dead-worker"):
    result = tasks.flaky.enqueue(fail_times=0)
    job = row(result)
    job.status, job.started_at = "RUNNING", timezone.now() - timedelta(minutes=5)
    job.worker_ids = [f"w{n}" for n in range(attempts - 1)] + [worker]
    job.save()
    Lease.objects.create(
        task=job, worker_id=worker, expires_at=timezone.now() - timedelta(seconds=1)
    )
    return result


def test_the_reaper_requeues_a_job_whose_lease_expired_and_it_runs_again():
    result = expired_running_job(attempts=1)
    live = row(tasks.flaky.enqueue(fail_times=0))
    queue.claim(live, "alive")  # a running job with a fresh lease is left alone
    assert queue.reap() == 1
    job = row(result)
    assert job.status == "READY" and job.exception_class_path == "connect.jobs.queue.LeaseExpired"
    assert row(live).status == "RUNNING"
    due_now(result)
    run_tasks()
    assert row(result).status == "SUCCESSFUL"


def test_the_reaper_fails_a_job_that_keeps_killing_its_workers(settings):
    settings.JOB_MAX_ATTEMPTS = 2
    result = expired_running_job(attempts=2)
    assert queue.reap() == 1
    assert row(result).status == "FAILED"
    assert FailedJob.objects.filter(pk=result.id).exists()


def test_a_job_claimed_without_a_lease_is_reaped_after_the_lease_length():
    result = tasks.flaky.enqueue(fail_times=0)
    job = row(result)
    job.claim("library-worker")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert queue.reap() == 1 and row(result).status == "READY"


def test_a_worker_whose_lease_was_taken_over_does_not_overwrite_the_outcome():
    job = row(tasks.flaky.enqueue(fail_times=0))
    queue.claim(job, "slow")
    Lease.objects.filter(task=job).update(worker_id="other")
    assert not queue.finish(job, "slow", lambda: job.set_failed(RuntimeError("late")))
    assert row(job).status == "RUNNING"


def test_the_heartbeat_renews_only_its_own_lease():
    job = row(tasks.flaky.enqueue(fail_times=0))
    queue.claim(job, "me")
    Lease.objects.filter(task=job).update(expires_at=timezone.now())
    assert queue.renew(job.pk, "me")
    assert Lease.objects.get(task=job).expires_at > timezone.now() + timedelta(seconds=30)
    assert not queue.renew(job.pk, "someone-else")


def test_an_effect_runs_once_however_often_its_job_runs():
    result = tasks.effect.enqueue()
    run_tasks()
    assert row(result).return_value is True
    DBTaskResult.objects.filter(pk=result.id).update(status="READY")  # as after a crash
    run_tasks()
    assert row(result).return_value is False
    assert tasks.CALLS == ["sent"]
    assert Delivery.objects.filter(key=f"test:{result.id}", sent_at__isnull=False).exists()


def test_an_effect_that_fails_is_not_recorded_and_runs_again():
    def refuse():
        raise ConnectionRefusedError

    with pytest.raises(ConnectionRefusedError):
        queue.send_once("k", refuse)
    assert not Delivery.objects.exists()
    assert queue.send_once("k", lambda: None) and not queue.send_once("k", lambda: None)


def test_an_email_rerun_after_a_crash_is_not_sent_again(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    result = send_email.enqueue(to=["a@example.test"], subject="Objet", text="Texte")
    run_tasks()
    DBTaskResult.objects.filter(pk=result.id).update(status="READY")
    run_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id(str(result.id))
    assert row(result).return_value == "already sent"


def test_an_smtp_server_that_refuses_means_a_retry_not_a_loss(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port(18226)  # nothing listens there
    result = send_email.enqueue(to=["a@example.test"], subject="Objet", text="Texte")
    run_tasks()
    job = row(result)
    assert job.status == "READY" and job.run_after > timezone.now()
    assert "SMTP unreachable" in job.traceback
    assert not Delivery.objects.exists()


def test_a_job_past_its_time_limit_is_stopped_and_retried(settings):
    settings.JOB_TIME_LIMIT_SECONDS = 1
    result = tasks.sleepy.enqueue(seconds=30)
    run_tasks()
    job = row(result)
    assert job.status == "READY"
    assert job.exception_class_path == "connect.jobs.queue.TimeLimitExceeded"


def test_counts_tell_a_health_page_what_waits_runs_and_failed():
    tasks.broken.enqueue()
    run_tasks()
    tasks.flaky.enqueue(fail_times=0)
    later = tasks.flaky.using(run_after=timezone.now() + timedelta(hours=1)).enqueue(fail_times=0)
    queue.claim(row(tasks.flaky.enqueue(fail_times=0)), "w")
    assert queue.counts() == {"waiting": 1, "running": 1, "failed": 1}
    assert row(later).status == "READY"  # scheduled for later: not waiting yet


def test_reap_jobs_reaps_and_forgets_old_delivery_records():
    from io import StringIO

    from django.core.management import call_command

    expired_running_job(attempts=1)
    Delivery.objects.create(key="old", sent_at=timezone.now() - timedelta(days=31))
    Delivery.objects.create(key="recent", sent_at=timezone.now() - timedelta(days=1))
    out = StringIO()
    call_command("reap_jobs", stdout=out)
    assert out.getvalue().strip() == "1 job reaped, 1 delivery record forgotten"
    assert list(Delivery.objects.values_list("key", flat=True)) == ["recent"]
