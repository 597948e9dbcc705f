"""A VIN read on a photo (pure functions, no I/O): 17 signs, never I, O or Q (ISO 3779).

The check digit (9th sign) is computed the North American way; many European makers do not use
it, so it is a soft signal only: shown, never a refusal.
"""

import re
from dataclasses import dataclass

from connect.lib.plates import fold

VIN_LENGTH = 17
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
# I, O and Q never stand in a VIN: read there, they are 1, 0 and 0.
_LOOK_ALIKES = str.maketrans({"I": "1", "O": "0", "Q": "0"})
_GROUP = re.compile(r"[0-9A-Z]+")
_LABELS = ("VIN", "NIV", "VIS")  # printed before the number on some plates and papers
_VALUES = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


class VinVerdict:
    VALID = "valid"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class VinJudgement:
    verdict: str
    read: str
    check_digit_ok: bool | None  # None when nothing was read


def is_valid_vin(vin: str) -> bool:
    return bool(_VIN.match(vin))


def check_digit_ok(vin: str) -> bool:
    """The 9th sign against the weighted sum (mod 11, 10 written X)."""
    total = sum(_VALUES[sign] * weight for sign, weight in zip(vin, _WEIGHTS, strict=True))
    expected = "X" if total % 11 == 10 else str(total % 11)
    return vin[8] == expected


def find_vins(lines: list[str]) -> list[str]:
    """VINs in the OCR's lines: a group of 17 signs, or consecutive groups that make 17 (a VIN
    printed in blocks), labels dropped; I/O/Q read as 1/0/0."""
    found: list[str] = []
    for line in lines:
        groups = [group for group in _GROUP.findall(fold(line)) if group not in _LABELS]
        for first in range(len(groups)):
            run = ""
            for group in groups[first:]:
                run += group
                if len(run) >= VIN_LENGTH:
                    break
            vin = _strip_label(run).translate(_LOOK_ALIKES)
            if len(vin) == VIN_LENGTH and is_valid_vin(vin) and vin not in found:
                found.append(vin)
    return sorted(found, key=lambda vin: not check_digit_ok(vin))


def _strip_label(run: str) -> str:
    for label in _LABELS:
        if run.startswith(label) and len(run) == VIN_LENGTH + len(label):
            return run[len(label) :]
    return run


def judge(lines: list[str]) -> VinJudgement:
    vins = find_vins(lines)
    if not vins:
        return VinJudgement(VinVerdict.UNREADABLE, "", None)
    return VinJudgement(VinVerdict.VALID, vins[0], check_digit_ok(vins[0]))
