"""A plate read on a photo, compared with the dossier's (pure functions, no I/O).

The comparison tolerates the confusions OCR makes between look-alike signs (0/O, 1/I, 8/B, 5/S)
only where the dossier's plate says which kind of sign stands (a digit or a letter), and only
when what was read is not itself a valid plate: a read that is a real plate, another one, is
never judged conforming. A plate is compared by its key (lib/plates.py: `GG010MZ`).
"""

import re
from dataclasses import dataclass

from connect.lib.plates import fold, is_valid_plate, plate_key

# The look-alikes, one way each: what a sign read where a digit (a letter) stands may have been.
DIGIT_FOR = {"O": "0", "I": "1", "B": "8", "S": "5"}
LETTER_FOR = {value: key for key, value in DIGIT_FOR.items()}
SIV_LENGTH = 7  # AA-123-AA as a key
_SIV_SHAPE = "LLDDDLL"
_FNI = re.compile(r"([1-9]\d{0,3})([A-Z]{1,3})(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])")
_SEPARATORS = re.compile(r"[^0-9A-Z]+")
_MAX_GROUPS = 4  # AA-123-AA is three groups; a stray sign read inside makes a fourth


class PlateVerdict:
    MATCH = "match"
    MISMATCH = "mismatch"
    UNREADABLE = "unreadable"
    NO_REFERENCE = "no_reference"


@dataclass(frozen=True)
class PlateJudgement:
    verdict: str
    read: str  # the plate as read, displayed (GG-01O-MZ), "" when none was found


def display(key: str) -> str:
    """`GG010MZ` → `GG-010-MZ`; an FNI key → `1234 AB 75`; anything else as it is."""
    if len(key) == SIV_LENGTH and is_valid_plate(_canonical(key, _SIV_SHAPE)):
        return f"{key[:2]}-{key[2:5]}-{key[5:]}"
    match = _FNI.fullmatch(key)
    return " ".join(match.groups()) if match else key


def _shape(key: str) -> str:
    return "".join("D" if sign.isdigit() else "L" for sign in key)


def _canonical(read: str, shape: str) -> str:
    """`read` with each look-alike replaced by the kind of sign `shape` (D/L) wants there."""
    return "".join(
        DIGIT_FOR.get(sign, sign) if kind == "D" else LETTER_FOR.get(sign, sign)
        for sign, kind in zip(read, shape, strict=True)
    )


def conforms(read: str, expected: str) -> bool:
    """Whether the plate read is the expected plate, look-alikes forgiven (module docstring)."""
    read_key, expected_key = plate_key(read), plate_key(expected)
    if not read_key or not expected_key:
        return False
    if read_key == expected_key:
        return True
    if len(read_key) != len(expected_key) or is_valid_plate(read_key):
        return False
    return _canonical(read_key, _shape(expected_key)) == expected_key


def _runs(lines: list[str]) -> list[str]:
    """What a plate can be made of: each run of consecutive signs groups (a line's words, cut
    at any sign that is not a letter or digit), joined, in a line or across all lines (a plate
    may come cut in two boxes). Runs never start or end inside a group, so a part of a longer
    plate (`234 AB 75` inside `1234 AB 75`) is never taken for a plate."""
    groups = [[group for group in _SEPARATORS.split(fold(line)) if group] for line in lines]
    if len(groups) > 1:
        groups.append([group for line in groups for group in line])
    runs: list[str] = []
    for line in groups:
        for first in range(len(line)):
            for last in range(first, min(first + _MAX_GROUPS, len(line))):
                run = "".join(line[first : last + 1])
                if run not in runs:
                    runs.append(run)
    return runs


def find_plates(lines: list[str]) -> list[str]:
    """The plate keys that appear in the OCR's lines: SIV shapes (look-alikes allowed where
    they make a valid plate) and old FNI ones; plates valid as read come first."""
    found = [
        run
        for run in _runs(lines)
        if (len(run) == SIV_LENGTH and is_valid_plate(_canonical(run, _SIV_SHAPE)))
        or _FNI.fullmatch(run)
    ]
    return sorted(found, key=lambda key: not is_valid_plate(key))


def judge(lines: list[str], expected: str) -> PlateJudgement:
    """The verdict on a plate photo whose OCR gave `lines`, for a dossier of plate `expected`."""
    matching = next((run for run in _runs(lines) if conforms(run, expected)), "")
    if matching:
        return PlateJudgement(PlateVerdict.MATCH, display(matching))
    candidates = find_plates(lines)
    if not candidates:
        return PlateJudgement(PlateVerdict.UNREADABLE, "")
    if not plate_key(expected):
        return PlateJudgement(PlateVerdict.NO_REFERENCE, display(candidates[0]))
    return PlateJudgement(PlateVerdict.MISMATCH, display(candidates[0]))
