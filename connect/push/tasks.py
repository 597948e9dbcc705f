"""The push job: encrypt the payload for each of a user's browsers and post it to its push
service (pywebpush: RFC 8291 encryption, RFC 8292 VAPID).

The job's id and the subscription are the delivery key (connect/jobs/queue.py::send_once): a
retry after a failure pushes only to the browsers not reached yet. A push service that says the
subscription is gone (404, 410) has it deleted; any other failure is retried with the queue's
backoff. An endpoint whose host resolves into our own network is refused, logged and deleted at
once (transport.py): never retried.
"""

import json
import logging
from functools import partial

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskContext
from pywebpush import WebPushException, webpush

from connect.jobs.queue import Transient, send_once
from connect.push.hosts import endpoint_allowed
from connect.push.models import PushPreference, PushSubscription
from connect.push.transport import PushSession, RefusedAddress
from connect.push.vapid import push_enabled

logger = logging.getLogger(__name__)

# As high as e-mail: a notice is worth having while it is news (connect/mail.py).
PUSH_PRIORITY = 50
# How long a push service keeps a notice for a phone that is off or out of coverage.
PUSH_TTL_SECONDS = 2 * 24 * 3600
MAX_FAILURES = 48


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
    data = json.dumps(payload, ensure_ascii=False)
    sent, gone, failed = _to_each_browser(user_id, f"push:{context.task_result.id}", data)
    if failed:
        pushes = "push" if len(failed) == 1 else "pushes"
        raise Transient(f"{len(failed)} {pushes} to retry: {'; '.join(failed)}")
    return f"{sent} sent, {gone} gone"


def _to_each_browser(user_id: int, key: str, data: str) -> tuple[int, int, list[str]]:
    sent, gone, failed = 0, 0, []
    with _session() as session:
        for subscription in PushSubscription.objects.filter(user_id=user_id).order_by("pk"):
            if not endpoint_allowed(subscription.endpoint):
                continue
            deliver = partial(_deliver, subscription, data, session)
            try:
                sent += send_once(f"{key}:{subscription.pk}", deliver)
            except Gone:
                subscription.delete()
                gone += 1
            except RefusedAddress as error:
                logger.warning("push refused, subscription %s deleted: %s", subscription.pk, error)
                subscription.delete()
                gone += 1
            except Transient as error:
                _count_failure(subscription)
                failed.append(str(error))
    return sent, gone, failed


def _session() -> requests.Session:
    """One connection per push service for the job's browsers; no redirect is followed and the
    address connected to is checked (transport.py)."""
    return PushSession()


def _count_failure(subscription: PushSubscription) -> None:
    """A subscription that has failed MAX_FAILURES times in a row (about three jobs' worth of
    retries) is dropped: a browser that never answers should not keep jobs failing."""
    PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
    PushSubscription.objects.filter(pk=subscription.pk, failures__gte=MAX_FAILURES).delete()


def _deliver(subscription: PushSubscription, data: str, session: requests.Session) -> None:
    try:
        webpush(
            subscription.info(),
            data,
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=PUSH_TTL_SECONDS,
            timeout=settings.PUSH_TIMEOUT_SECONDS,
            headers={"Urgency": "normal"},
            requests_session=session,
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
