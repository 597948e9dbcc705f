"""The dashboard's figures for a set of garages over the last 30 or 90 days.

Each block is one query over the garages' rows (bounded whatever their number); medians are
taken in Python over the period's rows, which the period keeps small (a few thousand at
10,000 dossiers per garage). `now` is passed in so that tests compute the same figures by hand.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median

from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from connect.deadlines.clock import (
    DEFAULT_SCHEDULE,
    day_length,
    schedules,
    working_hours_between,
)
from connect.deadlines.models import WaitPeriod
from connect.deadlines.sources import WaitKind
from connect.dossiers.models import Ball, Dossier, Step, StepKind, Tab, tab_filter
from connect.invoices.models import Invoice, InvoiceState
from connect.supplements.models import Outcome, Supplement, SupplementDecision

PERIODS = (30, 90)
TOP_STATES = 8  # the state labels shown one by one; the rest add up in "Autres"
ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))
DAY = 86400


@dataclass
class Figures:
    days: int
    computed_at: datetime | None = None
    tabs: list[tuple[str, int]] = field(default_factory=list)
    states: list[tuple[str, int]] = field(default_factory=list)
    # kind, median in working hours, n; `day_hours`: what one working day is for these garages.
    response_hours: list[tuple[str, float, int]] = field(default_factory=list)
    day_hours: float = 7.5
    overdue: dict[str, int] = field(default_factory=dict)
    invoices: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    supplements: dict[str, int] = field(default_factory=dict)
    mission_to_report_days: float | None = None
    reports: int = 0


def figures(garage_ids: list[int], *, now: datetime, days: int) -> Figures:
    start = now - timedelta(days=days)
    dossiers = Dossier.objects.filter(garage_id__in=garage_ids)
    result = Figures(days=days, computed_at=now)
    result.tabs, result.states = dossier_states(dossiers, now=now)
    result.response_hours, result.day_hours = firm_response_hours(garage_ids, start=start, now=now)
    result.overdue = overdue(garage_ids, now=now)
    result.invoices = invoices_awaiting(garage_ids)
    result.supplements = supplement_decisions(garage_ids, start=start, now=now)
    result.mission_to_report_days, result.reports = mission_to_report(
        garage_ids, start=start, now=now
    )
    return result


def dossier_states(dossiers, *, now: datetime) -> tuple[list, list]:
    """Today's live dossiers: the list's tabs (one aggregate) and the core system's state
    labels, most frequent first (one grouped count)."""
    today = now.date()
    counts = dossiers.aggregate(
        **{tab.value: Count("pk", filter=tab_filter(tab, today=today)) for tab in Tab}
    )
    tabs = [(tab.label, counts[tab.value]) for tab in Tab]
    rows = (
        dossiers.filter(archived=False)
        .values_list("status_label")
        .annotate(n=Count("pk"))
        .order_by("-n", "status_label")
    )
    labelled = [(label or "Sans état", n) for label, n in rows]
    states = labelled[:TOP_STATES]
    if rest := sum(n for _, n in labelled[TOP_STATES:]):
        states.append(("Autres", rest))
    return tabs, states


def firm_response_hours(
    garage_ids, *, start: datetime, now: datetime
) -> tuple[list[tuple[str, float, int]], float]:
    """Per kind of the firm's waits ended in the period: the median of ended_at − since in
    working hours (the unit's openings, as the service levels count them: a message sent on
    Friday evening and answered on Monday morning took minutes of the firm's time), and how
    many waits; then the hours of one working day of those units ("1 j ouvré")."""
    rows = list(
        WaitPeriod.objects.filter(
            dossier__garage_id__in=garage_ids,
            side=Ball.FIRM,
            ended_at__gte=start,
            ended_at__lte=now,
        )
        .order_by()
        .values_list("kind", "since", "ended_at", "dossier__garage__unit_id")
    )
    by_unit = schedules({unit for *_, unit in rows}) if rows else {}
    durations: dict[str, list[float]] = {}
    for kind, since, ended_at, unit in rows:
        if ended_at is not None:  # always, by the filter; for the type checker
            schedule = by_unit.get(unit, DEFAULT_SCHEDULE)
            hours = working_hours_between(since, ended_at, schedule)
            durations.setdefault(kind, []).append(hours)
    labels = dict(WaitKind.choices)
    medians = [
        (labels.get(kind, kind), median(hours), len(hours))
        for kind, hours in sorted(durations.items(), key=lambda item: labels.get(item[0], item[0]))
    ]
    days = [day_length(schedule) for schedule in by_unit.values()] or [day_length(DEFAULT_SCHEDULE)]
    return medians, sum(days) / len(days)


def overdue(garage_ids, *, now: datetime) -> dict[str, int]:
    """Open waits past their due date now, on each side (one grouped count)."""
    rows = (
        WaitPeriod.objects.filter(
            dossier__garage_id__in=garage_ids, ended_at__isnull=True, due_at__lt=now
        )
        .order_by()
        .values_list("side")
        .annotate(n=Count("pk"))
    )
    found = dict(rows)
    return {Ball.GARAGE.value: found.get(Ball.GARAGE, 0), Ball.FIRM.value: found.get(Ball.FIRM, 0)}


AMOUNT = Coalesce("amount_incl_vat", "amount_excl_vat")


def invoices_awaiting(garage_ids) -> dict[str, tuple[int, Decimal]]:
    """Invoices received and not validated; validated and not paid: count and amount."""
    waiting = {"validation": InvoiceState.RECEIVED, "payment": InvoiceState.VALIDATED}
    aggregates: dict[str, Aggregate | Coalesce] = {}
    for name, state in waiting.items():
        aggregates[f"{name}_n"] = Count("pk", filter=Q(state=state))
        aggregates[f"{name}_amount"] = Coalesce(Sum(AMOUNT, filter=Q(state=state)), ZERO)
    found = Invoice.objects.filter(
        dossier__garage_id__in=garage_ids, state__in=waiting.values()
    ).aggregate(**aggregates)
    return {name: (found[f"{name}_n"], found[f"{name}_amount"]) for name in waiting}


SUPPLEMENT_STATES = {
    Outcome.ACCEPTED: "Acceptés",
    Outcome.PARTLY: "Acceptés en partie",
    Outcome.REFUSED: "Refusés",
}


def supplement_decisions(garage_ids, *, start: datetime, now: datetime) -> dict[str, int]:
    """Supplements whose decision in force (the latest) was taken in the period, by outcome;
    a supplement decided again counts once, under its latest outcome."""
    latest = SupplementDecision.objects.filter(supplement=OuterRef("pk")).order_by(
        "-decided_at", "-id"
    )
    rows = (
        Supplement.objects.filter(dossier__garage_id__in=garage_ids)
        .annotate(
            outcome=Subquery(latest.values("outcome")[:1]),
            decided=Subquery(latest.values("decided_at")[:1]),
        )
        .filter(decided__gte=start, decided__lte=now)
        .values_list("outcome")
        .annotate(n=Count("pk"))
    )
    found = dict(rows)
    return {state: found.get(state, 0) for state in SUPPLEMENT_STATES}


def mission_to_report(garage_ids, *, start: datetime, now: datetime) -> tuple[float | None, int]:
    """The median days from a dossier's first mission step to its first report step, over the
    dossiers whose first report falls in the period; and how many (one grouped query)."""
    rows = (
        Step.objects.filter(
            dossier__garage_id__in=garage_ids, kind__in=(StepKind.MISSION, StepKind.REPORT)
        )
        .values("dossier_id")
        .annotate(
            mission=Min("occurred_at", filter=Q(kind=StepKind.MISSION)),
            report=Min("occurred_at", filter=Q(kind=StepKind.REPORT)),
        )
        .filter(report__gte=start, report__lte=now, mission__lte=F("report"))
        .order_by()
        .values_list("mission", "report")
    )
    days = [(report - mission).total_seconds() / DAY for mission, report in rows]
    return (median(days) if days else None), len(days)
