"""Mail queued while the SMTP server is away leaves soon after it is back, each message once
(issue 25, "Mail comes back with its server"): the tests' own SMTP server, stopped then started."""

import time

import pytest
from django_tasks_db.models import DBTaskResult

from connect.mail import message_id, send_email
from connect.testing import run_tasks
from connect.testing.servers import SmtpSink, port

pytestmark = pytest.mark.django_db

SMTP_PORT = port(18471)


@pytest.fixture
def smtp(settings):
    """SMTP to the loopback, the server down until the test starts it; each mail's own backoff
    an hour away, so only the recovery can bring it forward."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", SMTP_PORT, 2
    settings.JOB_RETRY_FIRST_SECONDS = settings.JOB_RETRY_MAX_SECONDS = 3600
    sink = SmtpSink(SMTP_PORT)
    yield sink
    sink.stop()


def queue_mails(count: int) -> set[str]:
    results = [
        send_email.enqueue(to=[f"r{n}@example.test"], subject=f"n{n}", text="Texte")
        for n in range(count)
    ]
    return {message_id(str(result.id)) for result in results}


def statuses() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("status", flat=True))


def test_mail_queued_during_an_outage_leaves_once_shortly_after_the_server_returns(settings, smtp):
    settings.MAIL_OUTAGE_PROBE_SECONDS = 1
    settings.JOB_MAX_ATTEMPTS = 2
    expected = queue_mails(4)
    run_tasks()
    assert statuses() == ["READY"] * 4
    for _ in range(3):  # a long outage: the probe tries again and again, spending nothing
        time.sleep(1.1)
        run_tasks()
    assert statuses() == ["READY"] * 4  # none failed for good

    smtp.start()
    time.sleep(1.1)  # the probe's next try
    run_tasks()

    assert sorted(smtp.message_ids) == sorted(expected)  # all of them, each once
    assert statuses() == ["SUCCESSFUL"] * 4
    run_tasks()
    assert len(smtp.message_ids) == 4


def test_a_new_mail_that_gets_through_brings_the_waiting_ones_forward(settings, smtp):
    settings.MAIL_OUTAGE_PROBE_SECONDS = 600  # the probe is not what brings them here
    waiting = queue_mails(3)
    run_tasks()
    assert statuses() == ["READY"] * 3

    smtp.start()
    new = queue_mails(1)
    run_tasks()

    assert sorted(smtp.message_ids) == sorted(waiting | new)
    assert statuses() == ["SUCCESSFUL"] * 4
