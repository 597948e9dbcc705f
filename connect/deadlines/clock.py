"""Working time: when a wait that started at `start` is due, in the unit's opening hours.

Time is Paris time (the firm's). A working day is a day the unit opens that is not a French
public holiday (connect/lib/working_days.py, from the `holidays` library).

- N working hours: counted inside the openings only, from the first open moment at or after
  `start` (a message at 12:00 with 4 h to go, lunch 12:30–14:00: due at 17:30).
- N working days: the same time of day on the Nth working day after the first open moment
  (Friday 10:00 + 1 day: Monday 10:00; Saturday: Monday 9:00 + 1 day, so Tuesday 9:00); a time
  that falls outside that day's openings moves to its next open moment.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from connect.lib.working_days import public_holiday

PARIS = ZoneInfo("Europe/Paris")
Opening = tuple[time, time]
MORNING_AND_AFTERNOON: tuple[Opening, ...] = ((time(9), time(12, 30)), (time(14), time(18)))
DEFAULT_HOURS: dict[int, tuple[Opening, ...]] = dict.fromkeys(range(5), MORNING_AND_AFTERNOON)
# A schedule with no opening at all would never end a search: give up after two years.
HORIZON_DAYS = 730


@dataclass(frozen=True)
class Schedule:
    """A unit's openings per weekday (0 = Monday), each sorted."""

    openings: dict[int, tuple[Opening, ...]]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, time, time]]) -> "Schedule":
        openings: dict[int, list[Opening]] = {}
        for weekday, opens, closes in rows:
            openings.setdefault(weekday, []).append((opens, closes))
        if not openings:
            return DEFAULT_SCHEDULE
        return cls({day: tuple(sorted(hours)) for day, hours in openings.items()})

    def on(self, day: date) -> tuple[Opening, ...]:
        """The openings of `day`: none on a public holiday."""
        if public_holiday(day) is not None:
            return ()
        return self.openings.get(day.weekday(), ())


DEFAULT_SCHEDULE = Schedule(DEFAULT_HOURS)


def due_at(start: datetime, level, unit=None) -> datetime | None:
    """When a wait begun at `start` is due under `level` (a ServiceLevel: amount, measure) in
    the openings of `unit` (a Schedule, a Unit or its id; None: the default hours)."""
    if level is None:
        return None
    schedule = unit if isinstance(unit, Schedule) else schedule_of(unit)
    local = start.astimezone(PARIS).replace(tzinfo=None)
    if level.measure == "hours":
        due = _add_hours(local, timedelta(hours=level.amount), schedule)
    else:
        due = _add_days(local, level.amount, schedule)
    return due.replace(tzinfo=PARIS)


def working_hours_between(start: datetime, end: datetime, schedule: Schedule) -> float:
    """The opening hours between two moments: how long a wait lasted in working time (a
    message at Friday 17:00 answered Monday 10:00 took 2 working hours)."""
    begin = start.astimezone(PARIS).replace(tzinfo=None)
    finish = end.astimezone(PARIS).replace(tzinfo=None)
    total = timedelta()
    day = begin.date()
    while day <= finish.date() and (day - begin.date()).days <= HORIZON_DAYS:
        for opens, closes in schedule.on(day):
            overlap = min(finish, datetime.combine(day, closes)) - max(
                begin, datetime.combine(day, opens)
            )
            total += max(overlap, timedelta())
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def day_length(schedule: Schedule) -> float:
    """The hours of an ordinary working day (the mean over the days the unit opens): what
    "1 j ouvré" stands for when a duration is told in working days."""
    days = [
        sum(
            (datetime.combine(date.min, closes) - datetime.combine(date.min, opens)).total_seconds()
            for opens, closes in hours
        )
        / 3600
        for hours in schedule.openings.values()
        if hours
    ]
    return sum(days) / len(days) if days else 0.0


def schedule_of(unit) -> Schedule:
    if unit is None:
        return DEFAULT_SCHEDULE
    return schedules([getattr(unit, "pk", unit)]).get(getattr(unit, "pk", unit), DEFAULT_SCHEDULE)


def schedules(unit_ids: Iterable[int]) -> dict[int, Schedule]:
    """Each unit's schedule in one query (the default for a unit with no opening hours)."""
    from connect.deadlines.models import OpeningHours

    ids = {pk for pk in unit_ids if pk is not None}
    rows: dict[int, list[tuple[int, time, time]]] = {pk: [] for pk in ids}
    hours = OpeningHours.objects.filter(unit_id__in=ids).values_list(
        "unit_id", "weekday", "opens", "closes"
    )
    for unit_id, weekday, opens, closes in hours:
        rows[unit_id].append((weekday, opens, closes))
    return {pk: Schedule.from_rows(unit_rows) for pk, unit_rows in rows.items()}


def next_open(moment: datetime, schedule: Schedule) -> datetime:
    """The first open moment at or after `moment` (naive Paris time)."""
    day = moment.date()
    for _ in range(HORIZON_DAYS):
        for opens, closes in schedule.on(day):
            begin, end = datetime.combine(day, opens), datetime.combine(day, closes)
            if moment < end:
                return max(moment, begin)
        day += timedelta(days=1)
        moment = datetime.combine(day, time())
    raise ValueError("no opening hours in the next two years")


def _add_hours(moment: datetime, remaining: timedelta, schedule: Schedule) -> datetime:
    moment = next_open(moment, schedule)
    for _ in range(HORIZON_DAYS * 4):
        day = moment.date()
        end = next(
            datetime.combine(day, closes)
            for opens, closes in schedule.on(day)
            if datetime.combine(day, opens) <= moment < datetime.combine(day, closes)
        )
        if moment + remaining <= end:
            return moment + remaining
        remaining -= end - moment
        moment = next_open(end, schedule)
    raise ValueError("no opening hours in the next two years")


def _add_days(moment: datetime, days: int, schedule: Schedule) -> datetime:
    moment = next_open(moment, schedule)
    day = moment.date()
    for _ in range(days):
        day += timedelta(days=1)
        for _ in range(HORIZON_DAYS):
            if schedule.on(day):
                break
            day += timedelta(days=1)
    return next_open(datetime.combine(day, moment.time()), schedule)
