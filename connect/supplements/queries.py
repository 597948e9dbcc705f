from django.db.models import Prefetch

from connect.dossiers.panels import has_rows
from connect.supplements.models import Supplement, SupplementDecision


def supplements_of(dossier) -> list[Supplement]:
    """The dossier's supplements, newest first, with lines, decisions and documents (four
    queries whatever their number)."""
    if not has_rows(dossier, "supplements"):
        return []
    decisions = SupplementDecision.objects.select_related("decided_by")
    supplements = list(
        Supplement.objects.filter(dossier=dossier)
        .select_related("submitted_by", "thread")
        .prefetch_related("lines", "documents", Prefetch("decisions", queryset=decisions))
    )
    for supplement in supplements:
        supplement.dossier = dossier
    return supplements
