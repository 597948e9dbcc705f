"""The push job: encrypt the payload for each of a user's browsers and post it to its push
service (pywebpush: RFC 8291 encryption, RFC 8292 VAPID).

The job's id and the subscription are the delivery key (connect/jobs/queue.py::send_once): a
retry after a failure pushes only to the browsers not reached yet. A push service that says the
subscription is gone (404, 410) has it deleted; any other failure is retried with the queue's
backoff.
"""

import json

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskContext
from pywebpush import WebPushException, webpush

from connect.jobs.queue import Transient, send_once
from connect.push.models import PushPreference, PushSubscription
from connect.push.services import endpoint_allowed
from connect.push.vapid import push_enabled

# As high as e-mail: a notice is worth having while it is news (connect/mail.py).
PUSH_PRIORITY = 50
# How long a push service keeps a notice for a phone that is off or out of coverage.
PUSH_TTL_SECONDS = 2 * 24 * 3600


class Gone(Exception):
    """The push service no longer knows this subscription (the browser unsubscribed)."""


@task(takes_context=True, priority=PUSH_PRIORITY)
def send_push(context: TaskContext, *, user_id: int, kind: str, payload: dict) -> str:
    if not push_enabled():
        return "push off"
    # Read again at send time: a user may have opted out since the job was queued.
    wanted = PushPreference.objects.filter(user_id=user_id, kind=kind, enabled=True)
    if not wanted.filter(user__is_active=True).exists():
        return "opted out"
    job_id = str(context.task_result.id)
    data = json.dumps(payload, ensure_ascii=False)
    sent, gone, failed = 0, 0, []
    for subscription in PushSubscription.objects.filter(user_id=user_id).order_by("pk"):
        if not endpoint_allowed(subscription.endpoint):
            continue
        try:
            key = f"push:{job_id}:{subscription.pk}"
            if send_once(key, lambda s=subscription: _deliver(s, data)):  # type: ignore[misc]
                sent += 1
        except Gone:
            subscription.delete()
            gone += 1
        except Transient as error:
            PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
            failed.append(str(error))
    if failed:
        raise Transient(f"{len(failed)} push(es) to retry: {'; '.join(failed)}")
    return f"{sent} sent, {gone} gone"


def _deliver(subscription: PushSubscription, data: str) -> None:
    try:
        webpush(
            subscription.info(),
            data,
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=PUSH_TTL_SECONDS,
            timeout=settings.PUSH_TIMEOUT_SECONDS,
            headers={"Urgency": "normal"},
        )
    except WebPushException as error:
        if error.status_code in (404, 410):
            raise Gone from error
        raise Transient(f"push service answered {error.status_code}") from error
    except requests.RequestException as error:
        raise Transient(f"push service unreachable: {type(error).__name__}") from error
    PushSubscription.objects.filter(pk=subscription.pk).update(
        last_success_at=timezone.now(), failures=0
    )
