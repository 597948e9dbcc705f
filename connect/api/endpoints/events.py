"""GET /events: what repairers sent, in commit order, from a cursor."""

from django.urls import reverse
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from connect.api import feed
from connect.api.responses import documented
from connect.api.schemas import FeedOut

router = Router(tags=["Événements"])


class FeedQuery(Schema):
    after: str | None = NinjaField(
        None,
        pattern=r"^\d{1,18}(\.\d{1,18})?$",
        description="Curseur : le next_cursor de la page précédente.",
    )
    limit: int = NinjaField(100, ge=1, le=feed.MAX_PAGE)


def document_url(code: str) -> str:
    return reverse("api:get_document", kwargs={"code": code})


def event_out(event: dict) -> dict:
    # Plain dicts: ninja validates the page against FeedOut once, no model built twice.
    return {
        "id": event["id"],
        "cursor": feed.cursor(event),
        "kind": event["kind"],
        "created_at": event["created_at"],
        "garage": event["garage_external_id"],
        "dossier": event["reference"],
        "payload": event["payload"],
        "documents": [{"code": c, "url": document_url(c)} for c in event["document_codes"]],
    }


@router.get("/events", response=documented({200: FeedOut}, not_found=False))
def list_events(request, query: Query[FeedQuery]):
    """Les événements dans l'ordre de validation ; livraison au moins une fois, dédoublonnez
    par `id`. Un événement n'est servi qu'une fois sa transaction et toutes les plus anciennes
    terminées : aucun n'est sauté, même validé dans le désordre."""
    after = feed.parse_cursor(query.after)
    events = feed.page(after=after, limit=query.limit)
    return {
        "events": [event_out(event) for event in events],
        "next_cursor": feed.cursor(events[-1]) if events else f"{after[0]}.{after[1]}",
        "has_more": len(events) == query.limit,
    }
