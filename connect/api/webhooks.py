"""Webhooks: a signed "new events" notice to each token that asked for one.

The notice carries no data: the consumer then reads GET /api/v1/events, which stays the source
of truth. Notices leave through the task queue, enqueued in the transaction of the event (none
for an event that rolls back), one pending notice per token at a time. A receiver that fails
is a transient failure like any job's: the worker retries the notice with the jobs' backoff
(connect/jobs/queue.py), then, its attempts spent, fails it visibly ("Tâches en échec").

Each notice has a delivery key (its job's id, header `X-Connect-Delivery`), recorded in the
transaction of the send (connect/jobs/queue.py::send_once): a job re-run after a crash does not
post it again, and a consumer can drop a repeat of a key it has seen.

Signature: header `X-Connect-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
with the token's webhook secret; a consumer rejects a notice older than a few minutes.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskContext
from django_tasks_db.models import DBTaskResult

from connect.api.models import ApiToken
from connect.jobs.queue import Transient, send_once

TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-Connect-Signature"
DELIVERY_HEADER = "X-Connect-Delivery"


def schedule_notices() -> None:
    """Call inside the transaction that records events: one pending notice per token."""
    tokens = ApiToken.objects.filter(revoked_at__isnull=True).exclude(webhook_url="")
    for token_id in tokens.values_list("pk", flat=True):
        if not _pending(token_id):
            deliver_notice.enqueue(token_id=token_id)


def _pending(token_id: int) -> bool:
    return DBTaskResult.objects.filter(
        task_path=deliver_notice.module_path,
        status="READY",
        args_kwargs__kwargs__token_id=token_id,
    ).exists()


def sign(secret: str, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(secret: str, body: bytes, header: str, *, tolerance: int = 300) -> bool:
    """What a consumer does with a notice (also used by the tests)."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), header)


@task(takes_context=True)
def deliver_notice(context: TaskContext, *, token_id: int) -> str:
    token = (
        ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
        .exclude(webhook_url="")
        .first()
    )
    if token is None:
        return "skipped"
    body = json.dumps({"type": "events.available", "sent_at": timezone.now().isoformat()})
    body_bytes = body.encode()
    key = str(context.task_result.id)
    request = urllib.request.Request(  # noqa: S310 — URL set by an administrator, http(s) only
        token.webhook_url,
        data=body_bytes,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "connect-reparateurs-webhook/1",
            SIGNATURE_HEADER: sign(token.webhook_secret, body_bytes, int(time.time())),
            DELIVERY_HEADER: key,
        },
    )

    def post() -> None:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise ConnectionError(f"HTTP {response.status}")

    try:
        return "delivered" if send_once(f"webhook:{key}", post) else "already delivered"
    except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as error:
        if _pending(token_id):  # a later event queued a notice: it says the same
            return "superseded"
        raise Transient(f"webhook: {error}") from error
