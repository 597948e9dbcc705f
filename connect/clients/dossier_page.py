"""What a client's user reads of one dossier: its facts, steps, the ball and the history of
its waits, the supplements with their decisions, the invoices' states. Never the garage↔firm
threads, their messages or their files (docs/security.md, promise 1)."""

from django.conf import settings

from connect.deadlines.models import WaitPeriod
from connect.deadlines.sources import WaitKind
from connect.dossiers.ball import sides
from connect.dossiers.steps import timeline
from connect.invoices.models import Invoice
from connect.supplements.models import Supplement

SIDE_WORDS = {"garage": "Chez le garage", "firm": f"Chez {settings.FIRM_SHORT_NAME}"}


def waits(dossier) -> list[dict]:
    """Every wait the dossier went through, newest first, in the words of its kind and side
    (never a thread's own label or text)."""
    kinds = dict(WaitKind.choices)
    periods = WaitPeriod.objects.filter(dossier=dossier).order_by("-since", "-id")
    return [
        {
            "kind": kinds.get(period.kind, period.kind),
            "side": SIDE_WORDS.get(period.side, period.side),
            "since": period.since,
            "due_at": period.due_at,
            "ended_at": period.ended_at,
            "late": bool(
                period.due_at and (period.ended_at is None or period.ended_at > period.due_at)
            ),
        }
        for period in periods
    ]


def dossier_context(request, dossier) -> dict:
    supplements = (
        Supplement.objects.filter(dossier=dossier)
        .prefetch_related("decisions", "lines")
        .order_by("submitted_at", "id")
    )
    invoices = (
        Invoice.objects.filter(dossier=dossier)
        .prefetch_related("changes")
        .order_by("received_at", "id")
    )
    return {
        "dossier": dossier,
        "ball": sides(dossier, firm=True),
        "waits": waits(dossier),
        "supplements": list(supplements),
        "invoices": list(invoices),
        **timeline(request, dossier),
    }
