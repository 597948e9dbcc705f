from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from connect.checklists.models import AWAITING_GARAGE, Request, RequestItem
from connect.dossiers.panels import has_rows


def requests_of(dossier) -> list[Request]:
    """The dossier's requests, newest first, with their items and answered documents (three
    queries whatever their number)."""
    if not has_rows(dossier, "checklist_requests"):
        return []
    items = RequestItem.objects.prefetch_related("documents").order_by("position", "id")
    requests = list(
        Request.objects.filter(dossier=dossier)
        .select_related("created_by", "thread")
        .prefetch_related(Prefetch("items", queryset=items))
    )
    for request in requests:
        request.dossier = dossier
    return requests


def thread_asked_from(dossier, thread_code):
    """The dossier's thread a request is asked from (`?fil=`), if any. Read through
    `Request.thread`, the declared key up to messaging (README "Layers"), never imported."""
    if not thread_code:
        return None
    threads = Request.thread.field.related_model._default_manager
    try:
        return threads.filter(dossier=dossier, code=thread_code).first()
    except (ValidationError, ValueError):  # a malformed code: no thread
        return None


def items_awaiting_garage(dossier) -> int:
    return RequestItem.objects.filter(request__dossier=dossier, status__in=AWAITING_GARAGE).count()


def requests_of_thread(thread) -> list[Request]:
    """The requests asked from `thread`, with their items (one query when there is none)."""
    items = RequestItem.objects.order_by("position", "id")
    return list(
        Request.objects.filter(thread=thread)
        .select_related("created_by")
        .prefetch_related(Prefetch("items", queryset=items))
    )
