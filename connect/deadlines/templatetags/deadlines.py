"""The dossier page's "À qui la main": the current ball and the history of waits."""

from django import template
from django.utils import timezone

from connect.deadlines.models import WaitPeriod
from connect.deadlines.sources import WaitKind
from connect.dossiers.ball import reads_as_firm, side_words, sides
from connect.dossiers.panels import has_rows

register = template.Library()
HISTORY_LENGTH = 30


def outcome(period: WaitPeriod, now) -> tuple[str, bool]:
    """ "à temps" / "en retard" / "en cours" / "" (no due date), and whether it is late."""
    if period.due_at is None:
        return ("terminée" if period.ended_at else "en cours"), False
    end = period.ended_at or now
    if end > period.due_at:
        return "en retard", True
    return ("à temps" if period.ended_at else "en cours"), False


@register.inclusion_tag("deadlines/_dossier_waits.html", takes_context=True)
def dossier_waits(context, dossier):
    now = timezone.now()
    user = context["request"].user
    periods = (
        list(WaitPeriod.objects.filter(dossier=dossier).order_by("-since", "-id")[:HISTORY_LENGTH])
        if has_rows(dossier, "wait_periods")
        else []
    )
    kinds = dict(WaitKind.choices)
    rows = [
        {
            "period": period,
            "kind": kinds.get(period.kind, period.kind),
            "side": side_words(period.side, firm=reads_as_firm(user)),
            "outcome": outcome(period, now)[0],
            "late": outcome(period, now)[1],
        }
        for period in periods
    ]
    return {"sides": sides(dossier, now, firm=reads_as_firm(user)), "rows": rows}
