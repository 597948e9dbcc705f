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
