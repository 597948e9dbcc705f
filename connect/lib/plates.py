"""Registration plates: display form as sent, search key normalised."""

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def fold(text: str) -> str:
    """Upper-case, accents removed: the form every search compares on."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def plate_key(plate: str) -> str:
    """`gg-010 mz` → `GG010MZ`: what a plate is searched on, whatever its format."""
    return _NOT_ALNUM.sub("", fold(plate))


# SIV (since 2009): AA-123-AA, letters without I, O and U, and never SS in a letter block; the
# temporary WW-123-AA is the same shape. FNI (before 2009): 1 to 4 digits, 1 to 3 letters and
# the department (01–95, 2A, 2B, 971–976).
_SIV_LETTERS = "[A-HJ-NP-TV-Z]{2}"
_SIV = re.compile(rf"^({_SIV_LETTERS})[- ]?(\d{{3}})[- ]?({_SIV_LETTERS})$")
_FNI = re.compile(r"^\d{1,4} ?[A-Z]{1,3} ?(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$")


def is_valid_plate(plate: str) -> bool:
    value = plate.strip().upper()
    siv = _SIV.match(value)
    if siv:
        return "SS" not in (siv.group(1), siv.group(3))
    return bool(_FNI.match(value))
