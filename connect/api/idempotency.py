"""POST with an `Idempotency-Key` header: the first answer is stored and replayed.

The key row is inserted in the same transaction as the work it guards, through the portal's one
idempotent write (`connect.lib.idempotency.replay_or_write`). A concurrent duplicate blocks on
the unique constraint until the first commits, then replays its answer; if the first rolls
back, the duplicate does the work. A key reused for a different request is refused.
"""

import hashlib
from collections.abc import Callable

from django.db import transaction
from ninja import Schema, Status

from connect.api.errors import ApiError, field_error, invalid
from connect.api.models import IdempotencyKey
from connect.lib.idempotency import KeyUsedElsewhere, replay_or_write

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
    answered: list[IdempotencyKey] = []

    @transaction.atomic
    def write() -> IdempotencyKey:
        # The key row first, in the work's transaction: a concurrent duplicate waits on its
        # unique key until the answer is stored, then replays it.
        record = IdempotencyKey.objects.create(
            token=request.auth, key=key, request_hash=request_hash, status_code=0, body={}
        )
        try:
            with transaction.atomic():
                status, body = _run(action)
        except ApiError as error:  # refused: the refusal is the answer to replay
            status, body = error.status, error.body()
        record.status_code, record.body = status, body
        record.save(update_fields=["status_code", "body"])
        answered.append(record)
        return record

    try:
        record = replay_or_write(
            IdempotencyKey.objects.filter(token=request.auth),
            key,
            field="key",
            scope={"request_hash": request_hash},
            write=write,
        )
    except KeyUsedElsewhere:
        raise ApiError(
            422,
            "idempotency_key_reused",
            "Cette clé d'idempotence a déjà servi pour une autre requête.",
            "This idempotency key was already used for a different request.",
        ) from None
    if not answered:
        response[REPLAY_HEADER] = "true"
    return Status(record.status_code, record.body)


def _run(action) -> tuple[int, dict]:
    status, result = action()
    return status, result.model_dump(mode="json")
