"""The list's counts kept by the writers: deltas on the touch path, a nightly recount.

Each dossier has a mark (models.CountMark): the garage it is counted in, the tabs it counts in
(bits) and the day of its exam. The touch path (touch.py), in the writer's transaction, locks
the touched dossiers, compares each one's mark with its facts and applies the difference to its
garages' rows (models.KeptCounts, models.KeptExamDay): a reader sums rows, never counts
dossiers (counts.py). "Examens à venir" is kept per exam day, the sum from today, so that the
day turning needs no write.

Locks: the dossiers first (id order), then the garages' count rows (garage order), then their
exam days; the count row is the garage's lock, so the nightly check (`check`) that holds it
sees every committed write with its delta and none without. A dossier written without the
touch path (fixtures, a raw UPDATE) is drift: `check` reports it (log, metric) and repairs it.
"""

import logging
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from connect.dossiers.models import (
    COUNTED_FIELDS,
    Ball,
    CountMark,
    CountsCheck,
    Dossier,
    KeptCounts,
    KeptExamDay,
    Tab,
)
from connect.lib.ids import any_of

logger = logging.getLogger("connect.counts")

# The kept columns, each a bit of a dossier's mask; the names counts.py reads.
COLUMNS = {
    "live": Tab.ALL.value,
    "to_handle": Tab.TO_HANDLE.value,
    "ongoing": Tab.ONGOING.value,
    "awaiting_invoice": Tab.AWAITING_INVOICE.value,
    "ve_follow_up": Tab.VE_FOLLOW_UP.value,
    "awaiting_ead": Tab.AWAITING_EAD.value,
    "unread": "unread",
    "firm_to_handle": "firm-to-handle",
}
BITS = {column: 1 << n for n, column in enumerate(COLUMNS)}
# What a dossier's mark is computed from: its garage and the facts the list counts.
FACTS = ("garage_id", *COUNTED_FIELDS)
MARK = ("count_mark__garage_id", "count_mark__mask", "count_mark__day")

Mark = tuple  # (garage id | None, mask, day | None)


def held(row: dict) -> Mark:
    """The mark the counts hold of a dossier read with MARK (none: counted nowhere)."""
    return (row["count_mark__garage_id"], row["count_mark__mask"] or 0, row["count_mark__day"])


def mark_of(facts: dict) -> Mark:
    """What a dossier counts in: tab_filter's conditions (models.py), one bit each."""
    if facts["archived"]:
        return (facts["garage_id"], 0, None)
    flags = {
        "live": True,
        "to_handle": facts["garage_waiting_since"] is not None,
        "ongoing": not facts["awaiting_invoice"],
        "awaiting_invoice": facts["awaiting_invoice"],
        "ve_follow_up": facts["ve_follow_up"],
        "awaiting_ead": facts["remote_assessment"] and facts["awaiting_ead"],
        "unread": facts["last_document_at"] is not None or facts["last_message_at"] is not None,
        "firm_to_handle": facts["ball"] == Ball.FIRM,
    }
    mask = sum(BITS[name] for name, on in flags.items() if on)
    at = facts["appointment_at"]
    return (facts["garage_id"], mask, timezone.localdate(at) if at else None)


class Deltas:
    def __init__(self) -> None:
        self.counts: dict[int, Counter] = {}
        self.days: Counter = Counter()

    def add(self, mark: Mark, sign: int) -> None:
        garage, mask, day = mark
        if garage is None:
            return
        counts = self.counts.setdefault(garage, Counter())
        for column, bit in BITS.items():
            if mask & bit:
                counts[column] += sign
        if day is not None and mask & BITS["live"]:
            self.days[(garage, day)] += sign

    def apply(self) -> set[int]:
        """Upsert the garages' rows (garage order), then their exam days; the garages whose
        counts changed."""
        for garage, _day in self.days:
            self.counts.setdefault(garage, Counter())
        garages = sorted(g for g, c in self.counts.items() if any(c.values()) or _has_day(self, g))
        if not garages:
            return set()
        columns = list(COLUMNS)
        _upsert(
            KeptCounts._meta.db_table,
            ["garage_id"],
            columns,
            [(g, *(self.counts[g][c] for c in columns)) for g in garages],
        )
        days = sorted((key, n) for key, n in self.days.items() if n)
        if days:
            _upsert(
                KeptExamDay._meta.db_table,
                ["garage_id", "day"],
                ["dossiers"],
                [(g, day, n) for (g, day), n in days],
            )
        return set(garages)


def _has_day(deltas: Deltas, garage: int) -> bool:
    return any(n for (g, _), n in deltas.days.items() if g == garage)


def _upsert(table: str, keys: list[str], columns: list[str], rows: list[tuple]) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET column = column + excluded.column (PostgreSQL
    and SQLite alike), in the rows' order (the lock order)."""
    quote = connection.ops.quote_name
    names = [*keys, *columns]
    values = ", ".join(["(" + ", ".join(["%s"] * len(names)) + ")"] * len(rows))
    sets = ", ".join(
        f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in columns
    )
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(map(quote, names))}) VALUES {values} "  # noqa: S608 - names from the models
        f"ON CONFLICT ({', '.join(map(quote, keys))}) DO UPDATE SET {sets}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def keep(dossier_ids: Iterable[int]) -> set[int]:
    """In the writer's transaction, after the facts and the derived state are written: lock the
    dossiers, apply the difference between their marks and their facts to the kept counts;
    returns the garages whose counts changed."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return set()
    with transaction.atomic():
        rows = (
            Dossier.objects.filter(pk__in=any_of(ids))
            .order_by("pk")
            .select_for_update(of=("self",))
            .values("pk", *FACTS, *MARK)
        )
        deltas, marks = Deltas(), []
        for row in rows:
            old, new = held(row), mark_of(row)
            if old == new:
                continue
            deltas.add(old, -1)
            deltas.add(new, +1)
            marks.append(CountMark(dossier_id=row["pk"], garage_id=new[0], mask=new[1], day=new[2]))
        if not marks:
            return set()
        CountMark.objects.bulk_create(
            marks,
            update_conflicts=True,
            unique_fields=["dossier"],
            update_fields=["garage", "mask", "day"],
            batch_size=500,
        )
        return deltas.apply()


def forget(dossier_ids: Iterable[int]) -> set[int]:
    """Before dossiers are deleted: their marks leave the counts."""
    ids = sorted(set(dossier_ids))
    deltas = Deltas()
    with transaction.atomic():
        for mark in CountMark.objects.filter(dossier_id__in=ids).select_for_update():
            deltas.add((mark.garage_id, mark.mask, mark.day), -1)
        CountMark.objects.filter(dossier_id__in=ids).delete()
        return deltas.apply()


def kept_counts(garage_ids: Iterable[int], today) -> dict[str, int]:
    """The garages' counts summed, by the names counts.py uses (Tab values, "unread",
    "firm-to-handle"): two small queries whatever the number of dossiers."""
    garages = list(garage_ids)
    totals = KeptCounts.objects.filter(garage_id__in=garages).aggregate(
        **{name: Sum(name) for name in COLUMNS}
    )
    exams = KeptExamDay.objects.filter(garage_id__in=garages, day__gte=today).aggregate(
        n=Sum("dossiers")
    )["n"]
    counts = {label: int(totals[name] or 0) for name, label in COLUMNS.items()}
    counts[Tab.UPCOMING_EXAMS.value] = int(exams or 0)
    return counts


# The nightly recount ---------------------------------------------------------------------------


def check(*, repair: bool = True, garage_ids: Iterable[int] | None = None) -> CountsCheck:
    """Recount every garage from its dossiers' facts, one garage per transaction holding its
    count row (writers of that garage wait), compare with what was kept, report any drift (log
    and the metric `connect_counts_drift`, from the CountsCheck row) and, with `repair`, set
    the marks and the rows to the recount."""
    from connect.accounts.models import Garage

    ids = sorted(Garage.objects.values_list("pk", flat=True) if garage_ids is None else garage_ids)
    today = timezone.localdate()
    drifted, drift = 0, 0
    for garage in ids:
        off = _check_garage(garage, today, repair=repair)
        if off:
            drifted += 1
            drift += off
    record = CountsCheck.objects.create(
        checked_at=timezone.now(), garages=len(ids), drifted_garages=drifted, drift=drift
    )
    if drift:
        logger.warning(
            "kept counts drifted: %d garage(s), %d in all%s",
            drifted,
            drift,
            " (repaired)" if repair else "",
        )
    else:
        logger.info("kept counts: no drift over %d garage(s)", len(ids))
    # Past exam days no longer count: their rows go.
    KeptExamDay.objects.filter(day__lt=today).delete()
    KeptExamDay.objects.filter(dossiers=0).delete()
    return record


@transaction.atomic
def _check_garage(garage: int, today, *, repair: bool) -> int:
    """The absolute difference between one garage's kept counts and its recount."""
    KeptCounts.objects.get_or_create(garage_id=garage)
    kept = KeptCounts.objects.select_for_update().get(garage_id=garage)
    days = dict(KeptExamDay.objects.filter(garage_id=garage).values_list("day", "dossiers"))
    fresh = Deltas()
    wrong: list[CountMark] = []
    rows = Dossier.objects.filter(garage_id=garage).values("pk", *FACTS, *MARK)
    for row in rows.iterator(chunk_size=5000):
        new = mark_of(row)
        fresh.add(new, +1)
        if held(row) != new:
            wrong.append(CountMark(dossier_id=row["pk"], garage_id=new[0], mask=new[1], day=new[2]))
    # Marks of this garage whose dossier is elsewhere now, or gone: counted here, wrongly.
    strays = CountMark.objects.filter(garage_id=garage).exclude(dossier__garage_id=garage)
    counts = fresh.counts.get(garage, Counter())
    off = sum(abs(getattr(kept, column) - counts[column]) for column in COLUMNS)
    fresh_days = {day: n for (g, day), n in fresh.days.items() if day >= today}
    for day in {*fresh_days, *(d for d in days if d >= today)}:
        off += abs(days.get(day, 0) - fresh_days.get(day, 0))
    if off:
        logger.warning("garage %s: kept counts off by %d", garage, off)
    if repair and (off or wrong):
        for column in COLUMNS:
            setattr(kept, column, counts[column])
        kept.save()
        KeptExamDay.objects.filter(garage_id=garage).delete()
        KeptExamDay.objects.bulk_create(
            [
                KeptExamDay(garage_id=garage, day=day, dossiers=n)
                for (g, day), n in fresh.days.items()
                if n
            ]
        )
        if wrong:
            CountMark.objects.bulk_create(
                wrong,
                update_conflicts=True,
                unique_fields=["dossier"],
                update_fields=["garage", "mask", "day"],
                batch_size=1000,
            )
    if repair:
        strays.update(mask=0, day=None)
    return off
