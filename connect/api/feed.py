"""The event feed in commit order: no event skipped, even when transactions commit out of order.

On PostgreSQL each event row holds its transaction's id. A page serves only events of
transactions older than every transaction still in flight (`pg_snapshot_xmin`), ordered by
(transaction id, id): any event committed later belongs to a newer transaction and so sorts
after every cursor already handed out. The cursor is "<txid>.<id>". On SQLite writers are
serialised, so id order is commit order and the cursor is "0.<id>".
"""

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from connect.api.errors import field_error, invalid
from connect.api.models import Event

MAX_PAGE = 1000
START = (0, 0)


def parse_cursor(value: str | None) -> tuple[int, int]:
    if not value:
        return START
    txid, _, event_id = value.partition(".")
    if not event_id:
        txid, event_id = "0", txid
    if txid.isdigit() and event_id.isdigit() and len(txid) < 19 and len(event_id) < 19:
        return int(txid), int(event_id)
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


def _committed():
    # Also show the reader's own uncommitted events (tests write and read in one transaction);
    # a request reading the feed in autocommit has no transaction id, so this adds nothing.
    return RawSQL(
        "(api_event.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
        " OR api_event.txid = pg_current_xact_id_if_assigned()::text::bigint)",
        [],
        output_field=BooleanField(),
    )


def page(*, after: tuple[int, int], limit: int) -> list[Event]:
    events = Event.objects.select_related("garage", "dossier").only(
        "id", "kind", "created_at", "payload", "document_codes", "txid",
        "garage__external_id", "dossier__reference",
    )  # fmt: skip
    if connection.vendor == "postgresql":
        events = events.filter(
            RawSQL("(api_event.txid, api_event.id) > (%s, %s)", after, BooleanField()),
            _committed(),
        ).order_by("txid", "id")
    else:
        events = events.filter(id__gt=after[1]).order_by("id")
    return list(events[:limit])
