"""E-mail leaves the request through the task queue, enqueued in the caller's transaction.

Each message is sent once per job (connect/jobs/queue.py::send_once): its delivery key is the
job's id, also its Message-ID, so a run after a crash does not send again and a duplicate from
the one window a crash cannot close (accepted by the server, not yet recorded) carries the same
Message-ID. An SMTP server that refuses, drops or times out (EMAIL_TIMEOUT) is retried with
backoff by the worker; a permanent refusal (5xx) fails the job at once, visibly.

An SMTP server that cannot be reached (no connection) is an outage, not the message's fault:
one waiting job probes it every MAIL_OUTAGE_PROBE_SECONDS without spending its attempts, and
any successful send brings forward every mail waiting on the outage, so all that was queued
leaves within a minute of the server's return instead of each after its own backoff (up to
JOB_RETRY_MAX_SECONDS). Each still goes once: send_once and the queue's claim see to it.
"""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskContext
from django_tasks_db.models import DBTaskResult

from connect.jobs.queue import Transient, send_once

MESSAGE_ID_DOMAIN = "connect-reparateurs"

# Mail jumps the queue: a reset link must not wait behind hundreds of thumbnail jobs (the
# database backend takes the highest priority first; renditions keep the default 0).
MAIL_PRIORITY = 50


def message_id(job_id: str) -> str:
    return f"<{job_id}@{MESSAGE_ID_DOMAIN}>"


class SmtpUnreachable(Transient):
    """No connection to the SMTP server: the mail waits for the server, not for itself."""


@task(takes_context=True, priority=MAIL_PRIORITY)
def send_email(
    context: TaskContext, *, to: list[str], subject: str, text: str, html: str = ""
) -> str:
    job_id = str(context.task_result.id)
    message = EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, to, headers={"Message-ID": message_id(job_id)}
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        sent = send_once(f"mail:{job_id}", lambda: deliver(message))
    except SmtpUnreachable as error:
        # One waiting mail watches the server (its attempt is not counted); the others keep
        # their backoff, and are brought forward when it, or any new mail, gets through.
        if not _a_probe_is_due_soon(besides=job_id):
            error.probe_in = timedelta(seconds=settings.MAIL_OUTAGE_PROBE_SECONDS)
        raise
    _bring_forward_the_mail_waiting_on_the_server()
    return "sent" if sent else "already sent"


def _waiting_on_the_server():
    return DBTaskResult.objects.filter(
        status="READY",
        task_path=send_email.module_path,
        exception_class_path=f"{SmtpUnreachable.__module__}.{SmtpUnreachable.__qualname__}",
    )


def _a_probe_is_due_soon(*, besides: str) -> bool:
    soon = timezone.now() + timedelta(seconds=settings.MAIL_OUTAGE_PROBE_SECONDS)
    return _waiting_on_the_server().filter(run_after__lte=soon).exclude(pk=besides).exists()


def _bring_forward_the_mail_waiting_on_the_server() -> None:
    now = timezone.now()
    _waiting_on_the_server().filter(run_after__gt=now).update(run_after=now)


def deliver(message: EmailMultiAlternatives) -> None:
    """Send now; a refusal or an outage the worker should retry raises Transient (an outage:
    SmtpUnreachable, when no connection could be opened)."""
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        raise SmtpUnreachable(f"SMTP unreachable: {error}") from error
    message.connection = connection
    try:
        message.send()
    except smtplib.SMTPResponseException as error:
        if 400 <= error.smtp_code < 500:
            raise Transient(f"SMTP {error.smtp_code}") from error
        raise
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if any(400 <= code < 500 for code in codes):
            raise Transient(f"SMTP {codes}") from error
        raise
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
        raise Transient(f"SMTP unreachable: {error}") from error
    finally:
        connection.close()


def queue_email(to: list[str], template: str, context: dict) -> None:
    """Render `<template>_subject.txt`, `.txt` and `.html` now, send from a worker after commit."""
    context = {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "FIRM_NAME": settings.FIRM_NAME,
        "PORTAL_URL": settings.PORTAL_URL,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        **context,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    send_email.enqueue(to=to, subject=subject, text=text, html=html)
