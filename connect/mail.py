"""E-mail leaves the request through the task queue, enqueued in the caller's transaction.

Each message is sent once per job (connect/jobs/queue.py::send_once): its delivery key is the
job's id, also its Message-ID, so a run after a crash does not send again and a duplicate from
the one window a crash cannot close (accepted by the server, not yet recorded) carries the same
Message-ID. An SMTP server that refuses, drops or times out (EMAIL_TIMEOUT) is retried with
backoff by the worker; a permanent refusal (5xx) fails the job at once, visibly.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task
from django_tasks.base import TaskContext

from connect.jobs.queue import Transient, send_once

MESSAGE_ID_DOMAIN = "connect-reparateurs"

# Mail jumps the queue: a reset link must not wait behind hundreds of thumbnail jobs (the
# database backend takes the highest priority first; renditions keep the default 0).
MAIL_PRIORITY = 50


def message_id(job_id: str) -> str:
    return f"<{job_id}@{MESSAGE_ID_DOMAIN}>"


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
    return "sent" if send_once(f"mail:{job_id}", lambda: deliver(message)) else "already sent"


def deliver(message: EmailMultiAlternatives) -> None:
    """Send now; a refusal or an outage the worker should retry raises Transient."""
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
