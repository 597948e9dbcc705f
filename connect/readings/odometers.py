"""An odometer read on a photo (pure functions, no I/O): the kilometres, as a whole number.

A dashboard shows other numbers beside it: the time (12:34), the temperature (21 °C), a trip
(123.4 km, a decimal), the range. The odometer is the whole number of 1 to 7 digits (thousands
may be spaced or dotted: 123 456, 123.456), the one written with "km" first, else the
largest; a clock or a decimal is never taken.
"""

import re
from dataclasses import dataclass

MAX_KM = 9_999_999
# A number with optional thousands groups, then maybe "km"; not part of a time or a decimal.
_NUMBER = re.compile(
    r"(?<![\d:.,])(\d{1,3}(?:[ .\u202f\u00a0]\d{3})+|\d{1,7})(?![\d:]|[.,]\d)\s*(km)?",
    re.IGNORECASE,
)
_NOT_DISTANCE = re.compile(r"^\s*(°|℃|℉|%|h\b|min\b|l\b|v\b|bar\b|rpm\b)", re.IGNORECASE)


class OdometerVerdict:
    READ = "read"  # a number, nothing earlier to compare with
    CONSISTENT = "consistent"  # at least the earlier reading of the vehicle
    LOWER = "lower"  # below an earlier reading: to check
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class OdometerJudgement:
    verdict: str
    km: int | None


def find_km(lines: list[str]) -> int | None:
    with_unit: list[int] = []
    bare: list[int] = []
    for line in lines:
        for match in _NUMBER.finditer(line):
            if _NOT_DISTANCE.match(line[match.end(1) :]):
                continue
            value = int(re.sub(r"\D", "", match.group(1)))
            if value > MAX_KM:
                continue
            (with_unit if match.group(2) else bare).append(value)
    candidates = with_unit or bare
    return max(candidates) if candidates else None


def judge(lines: list[str], earlier_km: int | None) -> OdometerJudgement:
    km = find_km(lines)
    if km is None:
        return OdometerJudgement(OdometerVerdict.UNREADABLE, None)
    if earlier_km is None:
        return OdometerJudgement(OdometerVerdict.READ, km)
    verdict = OdometerVerdict.LOWER if km < earlier_km else OdometerVerdict.CONSISTENT
    return OdometerJudgement(verdict, km)
