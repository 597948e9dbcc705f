from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from connect.dossiers.panels import has_rows
from connect.supplements.models import Supplement, SupplementCeiling, SupplementDecision

# Without a repair amount (or below it), a supplement up to this is never questioned.
CEILING_FLOOR = Decimal("10000.00")


@dataclass(frozen=True)
class Ceiling:
    """The largest supplement the garage may ask on a dossier, and where it comes from."""

    amount: Decimal
    source: str  # in words, for the garage's message: "le montant de la réparation"…


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


def ceiling_of(dossier) -> Ceiling:
    """A sanity bound, against a slip of the finger (1 000 000 000 € on a 14 931 € repair):
    the repair amount, at least CEILING_FLOOR, unless the expert raised it on this dossier."""
    raised = SupplementCeiling.objects.filter(dossier=dossier).first()
    if raised is not None:
        return Ceiling(raised.up_to, "relevé par l'expert")
    if dossier.repair_amount is not None and dossier.repair_amount > CEILING_FLOOR:
        return Ceiling(dossier.repair_amount, "le montant de la réparation")
    return Ceiling(CEILING_FLOOR, "le plafond par défaut")


def supplements_of_thread(thread) -> list[Supplement]:
    """The supplements asked from `thread` (an "Evolution méthodologie"), with decisions."""
    if thread.subject != "methodologie":  # the one subject that carries a supplement
        return []
    decisions = SupplementDecision.objects.select_related("decided_by")
    return list(
        Supplement.objects.filter(thread=thread).prefetch_related(
            Prefetch("decisions", queryset=decisions)
        )
    )
