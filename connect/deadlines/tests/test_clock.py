"""Working time: hours across a lunch break, an evening, a weekend, a public holiday; days."""

from datetime import datetime, time
from types import SimpleNamespace

import pytest

from connect.deadlines.clock import PARIS, Schedule, due_at, schedule_of
from connect.deadlines.models import OpeningHours


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def hours(n):
    return SimpleNamespace(amount=n, measure="hours")


def days(n):
    return SimpleNamespace(amount=n, measure="days")


@pytest.mark.parametrize(
    ("start", "level", "expected"),
    [
        # Tuesday 1 December 2026, 10:00 + 2 h: the same morning.
        (paris(2026, 12, 1, 10), hours(2), paris(2026, 12, 1, 12)),
        # 12:00 + 4 h: half an hour before lunch, 3.5 h after it.
        (paris(2026, 12, 1, 12), hours(4), paris(2026, 12, 1, 17, 30)),
        # During lunch: counted from 14:00.
        (paris(2026, 12, 1, 13), hours(4), paris(2026, 12, 1, 18)),
        # An evening: counted from the next morning.
        (paris(2026, 12, 1, 20), hours(4), paris(2026, 12, 2, 14, 30)),
        # Friday 17:00 + 4 h: one hour on Friday, three on Monday morning.
        (paris(2026, 12, 4, 17), hours(4), paris(2026, 12, 7, 12)),
        # Saturday: Monday's first hours.
        (paris(2026, 12, 5, 10), hours(4), paris(2026, 12, 7, 14, 30)),
        # Thursday 24 December 17:00 + 4 h: Christmas (Friday) and the weekend skipped.
        (paris(2026, 12, 24, 17), hours(4), paris(2026, 12, 28, 12)),
        # Thursday 30 April 2026 17:00: 1 May is a Friday holiday, then the weekend.
        (paris(2026, 4, 30, 17), hours(4), paris(2026, 5, 4, 12)),
        # Days: the same time on the next working day.
        (paris(2026, 12, 1, 10), days(1), paris(2026, 12, 2, 10)),
        (paris(2026, 12, 4, 10), days(1), paris(2026, 12, 7, 10)),
        (paris(2026, 12, 5, 10), days(1), paris(2026, 12, 8, 9)),
        (paris(2026, 12, 1, 20), days(1), paris(2026, 12, 3, 9)),
        (paris(2026, 12, 1, 13), days(1), paris(2026, 12, 2, 14)),
        (paris(2026, 12, 23, 10), days(2), paris(2026, 12, 28, 10)),
        (paris(2026, 4, 30, 11), days(1), paris(2026, 5, 4, 11)),
        (paris(2026, 12, 1, 10), days(5), paris(2026, 12, 8, 10)),
    ],
)
def test_due_dates_follow_working_time(start, level, expected):
    assert due_at(start, level) == expected


def test_a_start_in_utc_is_read_in_paris_time():
    # 09:00 UTC is 10:00 in Paris in December.
    start = datetime.fromisoformat("2026-12-01T09:00:00+00:00")
    assert due_at(start, hours(2)) == paris(2026, 12, 1, 12)


def test_no_level_means_no_due_date():
    assert due_at(paris(2026, 12, 1, 10), None) is None


def test_a_unit_follows_its_own_opening_hours(db, world):
    # Open on Saturday mornings, no lunch break on weekdays.
    for weekday in range(5):
        OpeningHours.objects.create(
            unit=world.unit1, weekday=weekday, opens=time(8), closes=time(17)
        )
    OpeningHours.objects.create(unit=world.unit1, weekday=5, opens=time(9), closes=time(12))
    schedule = schedule_of(world.unit1)
    assert due_at(paris(2026, 12, 4, 16), hours(4), world.unit1) == paris(2026, 12, 5, 12)
    assert due_at(paris(2026, 12, 1, 12), hours(4), schedule) == paris(2026, 12, 1, 16)
    assert due_at(paris(2026, 12, 4, 10), days(1), world.unit1) == paris(2026, 12, 5, 10)


def test_a_unit_without_opening_hours_uses_the_default(db, world):
    assert schedule_of(world.unit1) == Schedule.from_rows([])
    assert due_at(paris(2026, 12, 1, 12), hours(4), world.unit1) == paris(2026, 12, 1, 17, 30)
