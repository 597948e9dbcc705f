"""POST with an `Idempotency-Key` header: the first answer is stored and replayed.

The key row is inserted in the same transaction as the work it guards. A concurrent duplicate
blocks on the unique constraint until the first commits, then replays its answer; if the first
rolls back, the duplicate does the work. A key reused for a different request is refused.
"""

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from ninja import Schema, Status

from connect.api.errors import ApiError, field_error, invalid
from connect.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\x1f")
    return hasher.hexdigest()


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise invalid(
            [
                field_error(
                    HEADER,
                    "invalid_key",
                    "Clé d'idempotence : 1 à 255 caractères imprimables.",
                    "Idempotency key: 1 to 255 printable characters.",
                    location="header",
                )
            ]
        )
    return key


def once(request, response, *, request_hash: str, action: Callable[[], tuple[int, Schema]]):
    """Run `action` (returning status and schema) at most once per token and key."""
    key = _key(request)
    if key is None:
        return Status(*_run(action))
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    token=request.auth, key=key, request_hash=request_hash, status_code=0, body={}
                )
        except IntegrityError:
            record = IdempotencyKey.objects.get(token=request.auth, key=key)
            if record.request_hash != request_hash:
                raise ApiError(
                    422,
                    "idempotency_key_reused",
                    "Cette clé d'idempotence a déjà servi pour une autre requête.",
                    "This idempotency key was already used for a different request.",
                ) from None
            response[REPLAY_HEADER] = "true"
            return Status(record.status_code, record.body)
        try:
            with transaction.atomic():
                status, body = _run(action)
        except ApiError as error:  # refused: the refusal is the answer to replay
            status, body = error.status, error.body()
        record.status_code, record.body = status, body
        record.save(update_fields=["status_code", "body"])
    return Status(status, body)


def _run(action) -> tuple[int, dict]:
    status, result = action()
    return status, result.model_dump(mode="json")
