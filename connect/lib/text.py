"""Text typed by people or sent by the core system: no invisible format characters, NFC.

Bidi controls (U+202A–U+202E, U+2066–U+2069) and the other format characters (Unicode
category Cf: zero-width spaces, joiners, BOM…) let a name or a message read differently from
what it is; they are refused with a message naming the field. What remains is NFC-normalised,
so that one text has one form.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

LINE_SEPARATORS = {"\u2028", "\u2029"}


def invisible_characters(value: str) -> list[str]:
    """The code points that would be refused, as "U+202E" labels, in order of appearance."""
    found = []
    for char in value:
        if (unicodedata.category(char) == "Cf" or char in LINE_SEPARATORS) and (
            label := f"U+{ord(char):04X}"
        ) not in found:
            found.append(label)
    return found


def clean_text(value: str, *, field: str) -> str:
    """NFC `value`, or ValueError with the French message naming `field`."""
    hidden = invisible_characters(value)
    if hidden:
        raise ValueError(
            f"« {field} » contient des caractères invisibles de mise en forme "
            f"({', '.join(hidden)}) : retirez-les."
        )
    return unicodedata.normalize("NFC", value)


class PlainTextField(forms.CharField):
    """A form's free text, refused when it hides format characters, stored NFC."""

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return clean_text(value, field=str(self.label or "Ce champ"))
        except ValueError as error:
            raise ValidationError(str(error), code="invisible_characters") from None
