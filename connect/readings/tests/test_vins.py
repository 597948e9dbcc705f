"""VINs: 17 signs without I, O, Q; the check digit is a soft signal."""

import pytest

from connect.readings.vins import (
    VinJudgement,
    VinVerdict,
    check_digit_ok,
    find_vins,
    is_valid_vin,
    judge,
)

# A North American VIN with a right check digit (the 9th sign), and a European one without.
CHECKED = "1M8GDM9AXKP042788"
EUROPEAN = "VF1RFB00X65123456"


def test_the_check_digit_is_computed_the_north_american_way():
    assert check_digit_ok(CHECKED)
    assert check_digit_ok("11111111111111111")
    assert not check_digit_ok("1M8GDM9A1KP042788")


@pytest.mark.parametrize("vin", [CHECKED, EUROPEAN, "WVWZZZ1JZXW000001", "ZFA31200000123456"])
def test_valid_vins(vin):
    assert is_valid_vin(vin)


@pytest.mark.parametrize(
    "vin",
    [
        "VF1RFB00X6512345",  # 16 signs
        "VF1RFB00X651234567",  # 18
        "VF1RFB00X6512345I",  # I never stands in a VIN
        "VF1RFBOOX65123456",  # nor O
        "VF1RFB00X6512345Q",  # nor Q
        "VF1RFB00X6512345-",
        "vf1rfb00x65123456",  # read folded before, never as typed
        "",
    ],
)
def test_invalid_vins(vin):
    assert not is_valid_vin(vin)


def test_vins_are_found_in_the_ocr_lines():
    assert find_vins([EUROPEAN]) == [EUROPEAN]
    assert find_vins([f"VIN: {EUROPEAN}"]) == [EUROPEAN]
    assert find_vins(["VF1 RFB00X 65123456"]) == [EUROPEAN]  # printed in blocks
    assert find_vins(["VF1RFBOOX65I23456"]) == [EUROPEAN]  # O and I read for 0 and 1
    assert find_vins(["VF1RFB00X6512345"]) == []  # one sign missing: no guess
    assert find_vins(["RENAULT", "1234"]) == []


def test_the_verdict_on_a_photo():
    assert judge([EUROPEAN]) == VinJudgement(VinVerdict.VALID, EUROPEAN, False)
    assert judge([CHECKED]) == VinJudgement(VinVerdict.VALID, CHECKED, True)
    assert judge(["illisible"]) == VinJudgement(VinVerdict.UNREADABLE, "", None)
