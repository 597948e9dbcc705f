"""Webhooks: a signed notice per token after commit, retried with backoff, never the data."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from connect.api import webhooks
from connect.api.events import record_event
from connect.api.models import ApiToken
from connect.testing import run_tasks

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A real HTTP server on the loopback that records the notices it gets."""

    def __init__(self):
        self.received: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/notices"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def token(receiver):
    token, _key = ApiToken.issue("Système central", webhook_url=receiver.url)
    return token


def record_events(world, count=1):
    with transaction.atomic():
        for number in range(count):
            record_event("message.created", payload={"n": number}, dossier=world.dossier_a)


def test_events_send_one_signed_notice_that_carries_no_data(world, token, receiver):
    record_events(world, count=3)
    run_tasks()
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert webhooks.verify(token.webhook_secret, body, headers[webhooks.SIGNATURE_HEADER])
    assert not webhooks.verify("autre-secret", body, headers[webhooks.SIGNATURE_HEADER])
    assert json.loads(body)["type"] == "events.available"
    assert "99677" not in body.decode()


def test_an_event_that_rolls_back_sends_nothing(world, token, receiver):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("message.created", payload={}, dossier=world.dossier_a)
        raise RuntimeError
    run_tasks()
    assert receiver.received == []


def test_a_failing_receiver_is_retried_later_with_backoff(world, token, receiver):
    receiver.status = 503
    record_events(world)
    run_tasks()
    assert len(receiver.received) == 1
    retry = DBTaskResult.objects.get(status="READY")
    # The same job comes back, its first attempt spent, as any job's transient failure does.
    assert retry.args_kwargs["kwargs"] == {"token_id": token.pk} and len(retry.worker_ids) == 1
    assert retry.exception_class_path == "connect.jobs.queue.Transient"
    assert retry.run_after > timezone.now()  # the backoff holds it
    # Further events while a notice is pending do not pile up notices.
    record_events(world)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    receiver.status = 200
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_tasks()
    assert len(receiver.received) == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_notices_follow_the_jobs_retry_schedule(settings, world, token, receiver):
    # One backoff for every job (connect/jobs/queue.py): with its delays at one second, so is
    # a notice's.
    settings.JOB_RETRY_FIRST_SECONDS = settings.JOB_RETRY_MAX_SECONDS = 1
    receiver.status = 503
    record_events(world)
    run_tasks()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after <= timezone.now() + timedelta(seconds=1)


def test_a_failed_notice_gives_way_to_a_later_one_of_its_token(world, token, receiver):
    # A notice queued while another was running (a later event): the failing one does not
    # come back beside it, so one notice per token stays pending.
    receiver.status = 503
    webhooks.deliver_notice.enqueue(token_id=token.pk)
    webhooks.deliver_notice.enqueue(token_id=token.pk)
    run_tasks()
    assert len(receiver.received) == 2
    assert sorted(DBTaskResult.objects.values_list("status", "return_value")) == [
        ("READY", None),
        ("SUCCESSFUL", "superseded"),
    ]


def test_a_receiver_down_past_the_attempts_fails_the_notice_visibly(
    settings, world, token, receiver
):
    settings.JOB_MAX_ATTEMPTS = 3
    receiver.status = 503
    record_events(world)
    for _ in range(3):
        DBTaskResult.objects.update(run_after=timezone.now())
        run_tasks()
    assert len(receiver.received) == 3
    notice = DBTaskResult.objects.get()
    assert notice.status == "FAILED" and len(notice.worker_ids) == 3  # "Tâches en échec"


def test_revoked_tokens_and_tokens_without_url_get_no_notice(world, receiver):
    revoked, _ = ApiToken.issue("Ancien", webhook_url=receiver.url)
    revoked.revoke()
    ApiToken.issue("Sans avis")
    record_events(world)
    run_tasks()
    assert receiver.received == []


def test_stale_or_malformed_signatures_are_refused():
    body = b"{}"
    old = webhooks.sign("s", body, 1_000_000)
    assert not webhooks.verify("s", body, old)
    assert not webhooks.verify("s", body, "n'importe quoi")


def test_a_notice_re_run_after_a_crash_is_not_posted_again(world, token, receiver):
    record_events(world)
    run_tasks()
    job = DBTaskResult.objects.get(task_path=webhooks.deliver_notice.module_path)
    headers, _ = receiver.received[0]
    assert headers[webhooks.DELIVERY_HEADER] == str(job.pk)
    DBTaskResult.objects.filter(pk=job.pk).update(status="READY")  # as if reaped after a crash
    run_tasks()
    assert len(receiver.received) == 1
    assert DBTaskResult.objects.get(pk=job.pk).return_value == "already delivered"
