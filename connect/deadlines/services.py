"""The ball: one service derives it from the dossiers' facts, through the touch path.

`recompute(dossier_ids)` runs in the writer's transaction (registered with
`on_dossiers_touched`): it reads every source's open waits for the batch (one call per source),
keeps the history of waits (WaitPeriod: one open row per fact, ended when the fact no longer
waits), dates each wait from the firm's service levels in the unit's working time, and sets the
dossier's `ball`, `wait_kind`, `waiting_since`, `due_at`.

The rule (docs/architecture.md, "The ball"):
- an archived dossier, or one where nothing waits: no ball ("");
- a wait on the firm beats a wait on the garage: the garage's long waits (the invoice, awaited
  through the whole repair) would otherwise hide the answer it is waiting for;
- among the waits of that side, the oldest decides (its kind, since and due date);
- the garage's oldest wait is kept beside it (`garage_wait_kind`, `garage_waiting_since`):
  what the garage owes stays in its "À traiter" while the firm also owes something.

A batch costs a constant number of queries whatever its size: the dossiers, one per source, the
service levels, the units' opening hours, the open waits, then at most four writes.
"""

from collections.abc import Collection, Iterable
from datetime import datetime

from django.utils import timezone

from connect.deadlines import clock
from connect.deadlines.models import ServiceLevel, WaitPeriod
from connect.deadlines.sources import Wait, open_waits
from connect.dossiers.ball import BALL_FIELDS
from connect.dossiers.models import Ball, Dossier
from connect.lib.ids import any_of


def recompute(dossier_ids: Collection[int]) -> None:
    """Recompute the waits and the ball of these dossiers, now, in the caller's transaction
    (the writer's: the ball commits with the facts, or not at all)."""
    ids = sorted(set(dossier_ids))
    if not ids:
        return
    dossiers = {
        row["pk"]: row
        for row in Dossier.objects.filter(pk__in=any_of(ids)).values(
            "pk", "archived", "garage__unit_id", *BALL_FIELDS
        )
    }
    live = [pk for pk, row in dossiers.items() if not row["archived"]]
    waits = _deduplicated(open_waits(live) if live else [])
    levels = service_levels()
    hours = clock.schedules({row["garage__unit_id"] for row in dossiers.values()})
    now = timezone.now()
    periods = _update_periods(list(dossiers), waits, levels, hours, dossiers, now)
    _update_dossiers(dossiers, periods)


def service_levels() -> dict[tuple[str, str], ServiceLevel]:
    return {(level.kind, level.subject): level for level in ServiceLevel.objects.all()}


def level_for(levels: dict, kind: str, subject: str = ""):
    """The subject's own level, else the kind's; None: the kind has no due date."""
    return levels.get((kind, subject)) or levels.get((kind, ""))


def _deduplicated(waits: Iterable[Wait]) -> dict[tuple[int, str], Wait]:
    found: dict[tuple[int, str], Wait] = {}
    for wait in waits:
        key = (wait.dossier_id, wait.key)
        if key not in found or wait.since < found[key].since:
            found[key] = wait
    return found


def _update_periods(ids, waits, levels, hours, dossiers, now) -> dict[int, list[WaitPeriod]]:
    """Open, update and end WaitPeriod rows so that the open ones are the waits; returns the
    open rows per dossier."""
    existing = {
        (period.dossier_id, period.key): period
        for period in WaitPeriod.objects.filter(dossier_id__in=any_of(ids), ended_at__isnull=True)
    }
    created: list[WaitPeriod] = []
    changed: list[WaitPeriod] = []
    by_dossier: dict[int, list[WaitPeriod]] = {}
    for key, wait in waits.items():
        unit = dossiers[wait.dossier_id]["garage__unit_id"]
        period = existing.pop(key, None)
        if period is not None and period.side != wait.side:
            # The ball changed side (an item answered, then asked again): that side's wait
            # starts now, from the fact's own date; the history keeps the other side's period.
            existing[key] = period
            period = None
        # A fact still waiting keeps the start it had (a flag's source only knows "by now").
        since = min(wait.since, period.since) if period else wait.since
        due = wait.due_at or clock.due_at(
            since, level_for(levels, wait.kind, wait.subject), hours.get(unit)
        )
        values = {
            "kind": wait.kind,
            "side": wait.side,
            "subject": wait.subject[:30],
            "label": wait.label[:200],
            "since": since,
            "due_at": due,
        }
        if period is None:
            period = WaitPeriod(dossier_id=wait.dossier_id, key=wait.key[:80], **values)
            created.append(period)
        elif any(getattr(period, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(period, name, value)
            changed.append(period)
        by_dossier.setdefault(wait.dossier_id, []).append(period)
    if existing:
        WaitPeriod.objects.filter(pk__in=[p.pk for p in existing.values()]).update(ended_at=now)
    if created:
        WaitPeriod.objects.bulk_create(created)
    if changed:
        fields = ["kind", "side", "subject", "label", "since", "due_at"]
        WaitPeriod.objects.bulk_update(changed, fields, batch_size=500)
    return by_dossier


def oldest(periods: list[WaitPeriod], side: str) -> WaitPeriod | None:
    waits = [period for period in periods if period.side == side]
    return min(waits, key=lambda period: (period.since, period.key)) if waits else None


def deciding(periods: list[WaitPeriod]) -> WaitPeriod | None:
    """The wait that decides the ball: the oldest on the firm, else the oldest on the garage."""
    return oldest(periods, Ball.FIRM) or oldest(periods, Ball.GARAGE)


def _update_dossiers(dossiers: dict, periods: dict[int, list[WaitPeriod]]) -> None:
    changed = []
    for pk, row in dossiers.items():
        wait = deciding(periods.get(pk, []))
        garage = oldest(periods.get(pk, []), Ball.GARAGE)
        values: dict[str, str | datetime | None] = {
            "ball": wait.side if wait else "",
            "wait_kind": wait.kind if wait else "",
            "waiting_since": wait.since if wait else None,
            "due_at": wait.due_at if wait else None,
            "garage_wait_kind": garage.kind if garage else "",
            "garage_waiting_since": garage.since if garage else None,
        }
        if any(row[name] != value for name, value in values.items()):
            changed.append(Dossier(pk=pk, **values))
    if changed:
        Dossier.objects.bulk_update(changed, BALL_FIELDS, batch_size=500)
