"""The plate read on a photo against the dossier's: look-alikes forgiven, another plate never."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect.readings.plates import (
    PlateJudgement,
    PlateVerdict,
    conforms,
    display,
    find_plates,
    judge,
)


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("GG-010-MZ", "GG-010-MZ"),
        ("gg 010 mz", "GG-010-MZ"),
        ("GG010MZ", "gg-010-mz"),
        ("GG-01O-MZ", "GG-010-MZ"),  # O read where a digit stands
        ("GG-OIO-MZ", "GG-010-MZ"),
        ("AB-I23-CD", "AB-123-CD"),  # I for 1
        ("A8-123-CD", "AB-123-CD"),  # 8 for B where a letter stands
        ("AB-123-C5", "AB-123-CS"),  # 5 for S
        ("AB-1S3-CD", "AB-153-CD"),  # S for 5 where a digit stands
        ("AB-B23-CD", "AB-823-CD"),
        ("1234 AB 75", "1234 AB 75"),
        ("1234AB75", "1234 AB 75"),
        ("I234 AB 75", "1234 AB 75"),  # old FNI, I for 1
        ("1234 A8 75", "1234 AB 75"),
        ("WW-123-AB", "WW-123-AB"),  # temporary plate
        ("123 WW 75", "123 WW 75"),  # old temporary plate
        ("1234 AB 2A", "1234 AB 2A"),  # Corsica
    ],
)
def test_the_same_plate_read_with_look_alikes_conforms(read, expected):
    assert conforms(read, expected)


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("GG-010-MY", "GG-010-MZ"),  # one letter off
        ("GG-011-MZ", "GG-010-MZ"),  # one digit off
        ("GG-010-M", "GG-010-MZ"),  # a sign missing
        ("GG-010-MZZ", "GG-010-MZ"),
        ("AB-123-CS", "AB-123-CD"),
        ("AS-123-CD", "AB-123-CD"),  # S and B are not look-alikes of each other
        ("AB-183-CD", "AB-123-CD"),
        ("AB-123-CB", "AB-123-C8"),  # nonsense expected: still no accept of a valid plate
        ("1238 AB 75", "1234 AB 75"),
        ("234 AB 75", "1234 AB 75"),  # part of the plate only
        ("1234 AB 76", "1234 AB 75"),
        ("123B AB 75", "1238 AB 75"),  # 123 BAB 75 is itself a plate: another one
        ("1234 AB 75", "GG-010-MZ"),
        ("", "GG-010-MZ"),
        ("GG-010-MZ", ""),
        ("GG-O1O-MZ", "GG-010-MY"),
    ],
)
def test_a_different_plate_never_conforms(read, expected):
    assert not conforms(read, expected)


def test_a_valid_plate_read_is_compared_literally():
    # AB-123-CB and AB-123-C8: the first is a real plate, so it is another car's.
    assert not conforms("AB-123-CB", "AB-123-CS")
    assert not conforms("AB-128-CD", "AB-123-CD")


def test_plates_are_found_among_the_other_signs_of_a_photo():
    assert find_plates(["F", "GG-010-MZ", "75"]) == ["GG010MZ"]
    assert find_plates(["GG-010", "MZ"]) == ["GG010MZ"]  # cut in two boxes
    assert find_plates(["CARROSSERIE DU PARC", "1234 AB 75"])[0] == "1234AB75"
    assert find_plates(["GG-01O-MZ"]) == ["GG01OMZ"]
    assert find_plates(["RENAULT", "CLIO"]) == []


def test_plates_are_displayed_in_their_format():
    assert display("GG010MZ") == "GG-010-MZ"
    assert display("GG01OMZ") == "GG-01O-MZ"
    assert display("1234AB75") == "1234 AB 75"
    assert display("XYZ") == "XYZ"


def test_the_verdict_on_a_photo():
    assert judge(["F", "GG-010-MZ", "75"], "GG-010-MZ") == PlateJudgement(
        PlateVerdict.MATCH, "GG-010-MZ"
    )
    assert judge(["GG-01O-MZ"], "GG-010-MZ").verdict == PlateVerdict.MATCH
    assert judge(["AB-123-CD"], "GG-010-MZ") == PlateJudgement(PlateVerdict.MISMATCH, "AB-123-CD")
    assert judge(["GG-010-MY"], "GG-010-MZ") == PlateJudgement(PlateVerdict.MISMATCH, "GG-010-MY")
    assert judge(["RENAULT"], "GG-010-MZ") == PlateJudgement(PlateVerdict.UNREADABLE, "")
    assert judge([], "GG-010-MZ") == PlateJudgement(PlateVerdict.UNREADABLE, "")
    assert judge(["AB-123-CD"], "") == PlateJudgement(PlateVerdict.NO_REFERENCE, "AB-123-CD")


def test_part_of_a_longer_plate_is_not_the_dossiers_plate():
    assert judge(["1234 AB 75"], "234 AB 75").verdict == PlateVerdict.MISMATCH
    assert judge(["FGG-010-MZ"], "GG-010-MZ").verdict != PlateVerdict.MATCH


SIV_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"
SIV_PAIRS = [a + b for a in SIV_LETTERS for b in SIV_LETTERS if a + b != "SS"]
siv_plates = st.builds(
    lambda a, n, b: f"{a}-{n:03d}-{b}",
    st.sampled_from(SIV_PAIRS),
    st.integers(1, 999),
    st.sampled_from(SIV_PAIRS),
)
# The machine is shared: generating is cheap, but a loaded core can look slow.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@relaxed
@given(siv_plates, siv_plates)
def test_two_different_valid_plates_never_conform(one, other):
    assert conforms(one, other) == (one == other)


@relaxed
@given(siv_plates, st.data())
def test_any_look_alike_misreading_of_a_plate_conforms(plate, data):
    look_alikes = {"0": "O", "1": "I", "8": "B", "5": "S", "B": "8", "S": "5"}
    read = "".join(
        look_alikes[sign] if sign in look_alikes and data.draw(st.booleans()) else sign
        for sign in plate
    )
    assert conforms(read, plate)
