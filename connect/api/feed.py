"""The event feed in commit order: no event skipped, even when transactions commit out of order.

On PostgreSQL each event row holds its transaction's id (xid8). Before reading a page, the
feed takes a horizon: the oldest transaction id still in flight in this database, or the
snapshot's xmax when none is. It then serves, from a new snapshot, only events whose
transaction id is below the horizon, ordered by (transaction id, id). Every such transaction
had ended before the horizon was taken, so the snapshot sees all of them; every transaction
that writes an event later gets an id at or above the horizon, so it sorts after any cursor
handed out. The cursor is "<txid>.<id>". Transactions of other databases of the cluster do
not hold the feed back; long transactions of this database do, for as long as they last.
On SQLite writers are serialised, so id order is commit order and the cursor is "0.<id>".
"""

from django.db import connection
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import RawSQL

from connect.api.errors import field_error, invalid
from connect.api.models import Event
from connect.lib.http import int_or_none

MAX_PAGE = 1000
START = (0, 0)


def parse_cursor(value: str | None) -> tuple[int, int]:
    if not value:
        return START
    txid, _, event_id = value.partition(".")
    if not event_id:
        txid, event_id = "0", txid
    numbers = int_or_none(txid), int_or_none(event_id)
    if numbers[0] is not None and numbers[1] is not None:
        return numbers[0], numbers[1]
    raise invalid(
        [
            field_error(
                "after",
                "invalid_cursor",
                "Curseur invalide : reprenez la valeur next_cursor d'une page précédente.",
                "Invalid cursor: pass the next_cursor of a previous page.",
                location="query",
            )
        ]
    )


# The snapshot's xmax (every id below it has ended or is in flight; every id handed out later
# is at or above it), lowered to the oldest id still in flight in this database (other
# sessions): pg_stat_activity shows 32-bit xids, widened to xid8 with
# xmax's epoch (one far above xmax belongs to the previous epoch).
HORIZON_SQL = """
WITH next AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS id),
running AS (
    SELECT ((next.id >> 32) << 32) + activity.backend_xid::text::bigint AS id
    FROM pg_stat_activity AS activity, next
    WHERE activity.datname = current_database()
      AND activity.backend_xid IS NOT NULL
      AND activity.pid <> pg_backend_pid()
)
SELECT LEAST(
    (SELECT id FROM next),
    (SELECT min(CASE WHEN running.id > next.id + 2147483648
                     THEN running.id - 4294967296 ELSE running.id END)
     FROM running, next)
)
"""


# The reader's own uncommitted events (tests write and read in one transaction); a request
# reading the feed in autocommit has no transaction id, so in production this adds nothing.
OWN_TRANSACTION = RawSQL(
    "api_event.txid = pg_current_xact_id_if_assigned()::text::bigint", [], BooleanField()
)


def horizon() -> int:
    with connection.cursor() as cursor:
        cursor.execute(HORIZON_SQL)
        return cursor.fetchone()[0]


FIELDS = ("id", "kind", "created_at", "payload", "document_codes", "txid")


def page(*, after: tuple[int, int], limit: int) -> list[dict]:
    """The next events as plain rows (no model instances): the columns above, plus `garage`
    (external id) and `dossier` (reference), None when unset."""
    events = Event.objects.values(
        *FIELDS, garage_external_id=F("garage__external_id"), reference=F("dossier__reference")
    )
    if connection.vendor == "postgresql":
        events = events.filter(
            RawSQL("(api_event.txid, api_event.id) > (%s, %s)", after, BooleanField()),
            Q(txid__lt=horizon()) | Q(OWN_TRANSACTION),
        ).order_by("txid", "id")
    else:
        events = events.filter(id__gt=after[1]).order_by("id")
    return list(events[:limit])


def cursor(event: dict) -> str:
    return f"{event['txid'] or 0}.{event['id']}"
