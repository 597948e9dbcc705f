"""The outgoing feed: call `record_event` inside the transaction of the change it reports.

The event commits or rolls back with that change, so the feed never reports something that did
not happen and never misses something that did. Documents passed in `documents` are listed in
the feed with a download link under /api/v1/ (the core system fetches them with its token).
"""

from collections.abc import Iterable

from connect.api.models import Event
from connect.api.webhooks import schedule_notices


def record_event(
    kind: str, *, payload: dict, garage=None, dossier=None, documents: Iterable = ()
) -> Event:
    if garage is None and dossier is not None:
        garage = dossier.garage
    event = Event.objects.create(
        kind=kind,
        payload=payload,
        garage=garage,
        dossier=dossier,
        document_codes=[str(document.code) for document in documents],
    )
    schedule_notices()
    return event


def events_of(dossier) -> list[Event]:
    """The dossier's recorded events in the order they were recorded (the evidence pack chains
    them)."""
    return list(Event.objects.filter(dossier=dossier).order_by("id"))
