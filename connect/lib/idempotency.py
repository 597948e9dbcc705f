"""Writes that happen once per key: a form (or an API call) sent twice writes once.

A form carries a fresh key that its write stores under a unique constraint. Sent again (a double
tap, a resend after a lost answer) it finds that row and answers with it. Sent twice at once,
both pass the look-up: the unique key makes the second insert wait for the first and fail, and
the second answers with the first one's row. A key found on a row of another object or person
is no replay: `KeyUsedElsewhere`, and nothing is written.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction

Row = TypeVar("Row", bound=models.Model)


class KeyUsedElsewhere(Exception):
    """The key belongs to a row of another object or person: not a replay."""

    message = "Ce formulaire a déjà servi : rechargez la page puis réessayez."


def replay_or_write(
    rows: "models.QuerySet[Row] | models.Manager[Row]",
    key: object,
    *,
    scope: Mapping[str, object],
    write: Callable[[], Row],
    field: str = "idempotency_key",
) -> Row:
    """What `write()` returns, or the row already written under `key` among `rows` (where the
    key is unique) when it matches every lookup of `scope` (the dossier, thread, author… a
    replay shares); `KeyUsedElsewhere` when it does not. Without a key, `write()` runs.

    `write` owns its transaction (run in a savepoint when the caller holds one, so that a
    twin's IntegrityError leaves the caller's transaction usable) and inserts the keyed row
    before anything slow, so that a concurrent twin waits on the unique key instead of doing
    the work a second time. Outside a transaction the writer's own commit stays inside its
    own cleanup (files deleted when the commit fails)."""
    if not key:
        return write()
    if (done := _used(rows, key, field, scope)) is not None:
        return done
    try:
        if not transaction.get_connection().in_atomic_block:
            return write()
        with transaction.atomic():
            return write()
    except IntegrityError:
        # A twin committed the key between the look-up and the insert: its row is the answer.
        # Another constraint's failure finds no row and is raised as it was.
        if (done := _used(rows, key, field, scope)) is not None:
            return done
        raise


def _used(rows: Any, key: object, field: str, scope: Mapping[str, object]) -> Any:
    found = rows.filter(**{field: key})
    row = found.first()
    if row is not None and not found.filter(**scope).exists():
        raise KeyUsedElsewhere
    return row
