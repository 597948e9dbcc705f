"""The client's indicators ("Indicateurs", issue 27) over its portfolio, for the dossiers whose
mission reached the firm in the last 30, 90 or 365 days, optionally one unit's or one
garage's: the time spent in each stage, the waits closed within their service level on each
side, EAD against field exams, the supplements, the median repair amount by impact, and a
garage table against the portfolio's median and 75th percentile.

A handful of queries over the period's dossiers, figures taken in Python (`now` passed in, so
that tests compute the same by hand). Not cached yet: see docs/product.md.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from statistics import median, quantiles

from django.db.models import Min, QuerySet

from connect.deadlines.models import WaitPeriod
from connect.dossiers.models import Step, StepKind
from connect.invoices.models import Invoice, InvoiceState, InvoiceStateChange
from connect.supplements.models import Supplement

PERIODS = (30, 90, 365)
DAY = 86400

# The stages, each from one milestone to the next (docs/product.md, "The clients' space").
STAGES = (
    ("mission", "exam", "Mission → premier examen"),
    ("exam", "report", "Premier examen → rapport"),
    ("report", "invoice", "Rapport → facture reçue (fin des réparations)"),
    ("invoice", "validated", "Facture reçue → validée"),
    ("validated", "paid", "Facture validée → payée"),
)


@dataclass
class GarageLine:
    garage_id: int
    name: str
    dossiers: int
    cycle_days: float | None  # median, mission → report
    supplement_rate: float  # share of its dossiers with a supplement


@dataclass
class Indicators:
    days: int
    dossiers: int = 0
    stages: list[tuple[str, float | None, int]] = field(default_factory=list)  # label, median, n
    within_level: dict[str, tuple[int, int]] = field(default_factory=dict)  # side: (in time, n)
    remote: int = 0
    field_exams: int = 0
    supplement_rate: float = 0.0
    supplements_asked: Decimal = Decimal("0")
    supplements_accepted: Decimal = Decimal("0")
    repair_by_impact: list[tuple[str, Decimal, int]] = field(default_factory=list)
    garages: list[GarageLine] = field(default_factory=list)
    benchmark: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def percentile_75(values: list[float]) -> float | None:
    """The 75th percentile, interpolated between the nearest ranks (inclusive method)."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return quantiles(values, n=4, method="inclusive")[2]


def _days_between(start, end) -> float | None:
    if start is None or end is None:
        return None
    return max((end - start).total_seconds(), 0) / DAY


def _as_datetime(day: date | None) -> datetime | None:
    from django.utils import timezone

    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def milestones(ids: list[int]) -> dict[int, dict[str, datetime]]:
    """Each dossier's first exam, first report, first invoice received, validated and paid."""
    found: dict[int, dict[str, datetime]] = defaultdict(dict)
    steps = (
        Step.objects.filter(dossier_id__in=ids, kind__in=(StepKind.EXAM, StepKind.REPORT))
        .values_list("dossier_id", "kind")
        .annotate(first=Min("occurred_at"))
        .order_by()
    )
    for dossier_id, kind, first in steps:
        found[dossier_id]["exam" if kind == StepKind.EXAM else "report"] = first
    invoices = Invoice.objects.filter(dossier_id__in=ids).exclude(state=InvoiceState.REJECTED)
    for dossier_id, received, paid_on in invoices.values_list(
        "dossier_id", "received_at", "paid_on"
    ):
        marks = found[dossier_id]
        marks["invoice"] = min(marks.get("invoice", received), received)
        if paid_on:
            marks["paid"] = _as_datetime(paid_on)  # type: ignore[assignment]
    validated = (
        InvoiceStateChange.objects.filter(invoice__dossier_id__in=ids, state=InvoiceState.VALIDATED)
        .values_list("invoice__dossier_id")
        .annotate(first=Min("at"))
        .order_by()
    )
    for dossier_id, first in validated:
        found[dossier_id]["validated"] = first
    return found


def indicators(dossiers: QuerySet, *, now: datetime, days: int) -> Indicators:
    """`dossiers`: the portfolio (maybe narrowed to a unit or a garage)."""
    start = (now - timedelta(days=days)).date()
    rows = list(
        dossiers.filter(mission_received_on__gte=start).values_list(
            "id",
            "garage_id",
            "garage__name",
            "mission_received_on",
            "remote_assessment",
            "impact",
            "repair_amount",
        )
    )
    result = Indicators(days=days, dossiers=len(rows))
    ids = [row[0] for row in rows]
    marks = milestones(ids)
    for row in rows:
        marks[row[0]]["mission"] = _as_datetime(row[3])  # type: ignore[assignment]
    result.stages = _stages(marks, ids)
    result.within_level = _within_level(ids)
    result.remote = sum(1 for row in rows if row[4])
    result.field_exams = sum(1 for row in rows if not row[4] and "exam" in marks[row[0]])
    supplemented = _supplements(result, ids)
    result.supplement_rate = len(supplemented) / len(ids) if ids else 0.0
    result.repair_by_impact = _repair_by_impact(rows)
    result.garages, result.benchmark = _garages(rows, marks, supplemented)
    return result


def _stages(marks, ids) -> list[tuple[str, float | None, int]]:
    stages = []
    for begin, end, label in STAGES:
        spans = [
            span
            for pk in ids
            if (span := _days_between(marks[pk].get(begin), marks[pk].get(end))) is not None
        ]
        stages.append((label, round(median(spans), 1) if spans else None, len(spans)))
    return stages


def _within_level(ids) -> dict[str, tuple[int, int]]:
    """Per side, the ended waits with a due date, and how many ended by it."""
    periods = WaitPeriod.objects.filter(
        dossier_id__in=ids, ended_at__isnull=False, due_at__isnull=False
    ).values_list("side", "ended_at", "due_at")
    counts: dict[str, list[int]] = {"firm": [0, 0], "garage": [0, 0]}
    for side, ended_at, due_at in periods:
        tally = counts.setdefault(side, [0, 0])
        tally[1] += 1
        tally[0] += bool(ended_at and due_at and ended_at <= due_at)
    return {side: (within, total) for side, (within, total) in counts.items()}


def _supplements(result: Indicators, ids) -> set[int]:
    supplements = Supplement.objects.filter(dossier_id__in=ids).prefetch_related("decisions")
    supplemented = set()
    for supplement in supplements:
        supplemented.add(supplement.dossier_id)
        result.supplements_asked += supplement.amount
        result.supplements_accepted += supplement.agreed_amount
    return supplemented


def _repair_by_impact(rows) -> list[tuple[str, Decimal, int]]:
    amounts: dict[str, list[Decimal]] = defaultdict(list)
    for row in rows:
        if row[6] is not None:
            amounts[row[5] or "non renseigné"].append(row[6])
    return sorted(
        ((impact, median(values), len(values)) for impact, values in amounts.items()),
        key=lambda line: (-line[2], line[0]),
    )


def _garages(rows, marks, supplemented) -> tuple[list[GarageLine], dict]:
    by_garage: dict[int, list] = defaultdict(list)
    names = {}
    for row in rows:
        by_garage[row[1]].append(row[0])
        names[row[1]] = row[2]
    lines = []
    for garage_id, ids in by_garage.items():
        spans = [
            span
            for pk in ids
            if (span := _days_between(marks[pk].get("mission"), marks[pk].get("report")))
            is not None
        ]
        lines.append(
            GarageLine(
                garage_id=garage_id,
                name=names[garage_id],
                dossiers=len(ids),
                cycle_days=round(median(spans), 1) if spans else None,
                supplement_rate=sum(pk in supplemented for pk in ids) / len(ids),
            )
        )
    lines.sort(key=lambda line: (-line.dossiers, line.name))
    cycles = [line.cycle_days for line in lines if line.cycle_days is not None]
    rates = [line.supplement_rate for line in lines]
    benchmark = {
        "cycle_days": (median(cycles) if cycles else None, percentile_75(cycles)),
        "supplement_rate": (median(rates) if rates else None, percentile_75(rates)),
    }
    return lines, benchmark
