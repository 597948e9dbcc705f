"""Working days in France: weekdays that are not French public holidays.

The holidays come from the maintained `holidays` library (national holidays of France; the two
extra days of Alsace-Moselle are not counted). Everything that counts or offers working days
goes through here: the expert's visit dates, the demo's appointments.
"""

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from functools import lru_cache

import holidays

MONDAY_TO_FRIDAY = frozenset(range(5))


@lru_cache(maxsize=32)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("FR", years=year, language="fr")


def public_holiday(day: date) -> str | None:
    """The French name of the public holiday on `day` ("Noël"), or None."""
    return _holidays(day.year).get(day)


def is_working_day(day: date, weekdays: Iterable[int] = MONDAY_TO_FRIDAY) -> bool:
    """`day` falls on one of `weekdays` (0 = Monday) and is not a public holiday."""
    return day.weekday() in set(weekdays) and public_holiday(day) is None


def working_days(
    start: date, *, days: int, weekdays: Iterable[int] = MONDAY_TO_FRIDAY
) -> Iterator[date]:
    """The working days among the `days` calendar days after `start` (excluded), in order."""
    allowed = set(weekdays)
    for offset in range(1, days + 1):
        day = start + timedelta(days=offset)
        if is_working_day(day, allowed):
            yield day


def next_working_day(start: date, weekdays: Iterable[int] = MONDAY_TO_FRIDAY) -> date:
    """The first working day on or after `start` (one of `weekdays`, not a holiday)."""
    allowed = set(weekdays) or set(MONDAY_TO_FRIDAY)
    day = start
    while not is_working_day(day, allowed):
        day += timedelta(days=1)
    return day
