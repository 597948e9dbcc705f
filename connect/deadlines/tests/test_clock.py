"""Working time: hours across a lunch break, an evening, a weekend, a public holiday; days."""

from datetime import datetime, time
from types import SimpleNamespace

import pytest

from connect.deadlines import clock
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


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        # Friday 17:00 → Monday 10:00: Friday's last hour and Monday's first.
        ("2026-11-27 17:00", "2026-11-30 10:00", 2.0),
        # Lunch is not working time: 12:00 → 14:30 is 30 + 30 min.
        ("2026-11-30 12:00", "2026-11-30 14:30", 1.0),
        # A whole week: five days of 7.5 h.
        ("2026-11-30 00:00", "2026-12-07 00:00", 37.5),
        # Armistice day (Wednesday 11/11/2026) is no working day.
        ("2026-11-10 18:00", "2026-11-12 09:00", 0.0),
        # Backwards or empty: nothing.
        ("2026-11-30 10:00", "2026-11-30 10:00", 0.0),
    ],
)
def test_working_hours_between_two_moments(start, end, hours):
    def paris(text):
        return datetime.fromisoformat(text).replace(tzinfo=clock.PARIS)

    assert clock.working_hours_between(paris(start), paris(end), clock.DEFAULT_SCHEDULE) == hours


def test_a_working_day_is_the_mean_opening_of_the_days_open():
    assert clock.day_length(clock.DEFAULT_SCHEDULE) == 7.5
    saturday_morning = clock.Schedule({**clock.DEFAULT_HOURS, 5: ((time(9), time(12)),)})
    assert clock.day_length(saturday_morning) == (5 * 7.5 + 3) / 6
