"""The odometer: a whole number of kilometres, compared with the vehicle's earlier reading."""

import pytest

from connect.readings.odometers import OdometerJudgement, OdometerVerdict, find_km, judge


@pytest.mark.parametrize(
    ("lines", "km"),
    [
        (["123456 km"], 123456),
        (["123 456 km"], 123456),
        (["123.456 km"], 123456),
        (["87654"], 87654),
        (["12:34", "21°C", "87654 km"], 87654),
        (["TRIP 123.4 km", "45678 km"], 45678),
        (["12:34", "45678"], 45678),
        (["21 °C", "5 km", "45678"], 5),  # the number written with km wins
        (["0 km"], 0),
    ],
)
def test_the_kilometres_are_found(lines, km):
    assert find_km(lines) == km


@pytest.mark.parametrize(
    "lines",
    [[], ["12:34"], ["21°C"], ["08:02", "22℃"], ["123.4"], ["RENAULT"], ["12345678 km"], ["45 %"]],
)
def test_no_odometer_is_invented(lines):
    assert find_km(lines) is None


def test_the_verdict_against_the_earlier_reading():
    assert judge(["45678 km"], None) == OdometerJudgement(OdometerVerdict.READ, 45678)
    assert judge(["45678 km"], 40000) == OdometerJudgement(OdometerVerdict.CONSISTENT, 45678)
    assert judge(["45678 km"], 45678) == OdometerJudgement(OdometerVerdict.CONSISTENT, 45678)
    assert judge(["45678 km"], 50000) == OdometerJudgement(OdometerVerdict.LOWER, 45678)
    assert judge(["—"], 50000) == OdometerJudgement(OdometerVerdict.UNREADABLE, None)
