from django.db.models import Prefetch

from connect.checklists.models import Request, RequestItem
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
