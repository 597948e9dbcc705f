"""E-mail leaves the request through the task queue, enqueued in the caller's transaction."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

# Mail jumps the queue: a reset link must not wait behind hundreds of thumbnail jobs (the
# database backend takes the highest priority first; renditions keep the default 0).
MAIL_PRIORITY = 50


@task(priority=MAIL_PRIORITY)
def send_email(*, to: list[str], subject: str, text: str, html: str = "") -> None:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


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
