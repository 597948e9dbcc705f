"""Amounts in euros as French users type and read them: "11 008,76 €".

One reader for every money field of the portal (`MoneyField`): a number
input or a naive Decimal reads "11 008,76" as 1100876 or refuses it, so staff once validated an
invoice a hundred times too large. What is ambiguous ("1.234": a thousand or one euro?) is
refused with a message that says how to write it, never guessed.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms

# Spaces a French user, a spreadsheet or a copied PDF puts between thousands.
SPACES = " \u00a0\u202f\u2009"
_SPACE = f"[{SPACES}]"
# 1 to 3 digits then groups of three after a space, or digits without any space; then at
# most one decimal separator (comma or point) and its cents.
_AMOUNT = re.compile(rf"(?P<units>\d{{1,3}}(?:{_SPACE}\d{{3}})+|\d+)(?:[,.](?P<cents>\d+))?")
# "1.234": a thousand in English, one euro and a bit in a French habit; a comma is always the
# French decimal one ("12,345" has three decimals).
_AMBIGUOUS = re.compile(r"\d{1,3}\.\d{3}")

EXAMPLE = "par exemple 1 234,50"
NEGATIVE = "Le montant ne peut pas être négatif."


class AmountError(ValueError):
    """The text is not an amount; the message says why, in French, for the form to show.
    `code`: "invalid" (not a number at all), "ambiguous", "separators" or "decimals"."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def parse_amount(text: str) -> Decimal:
    """The amount in `text` ("1 234,50", "1234.50", "1 234,50 €", "€1234"), or AmountError."""
    value = text.strip(SPACES + "\t\n")
    value = value.removesuffix("€").removeprefix("€").strip(SPACES)
    if not value:
        raise AmountError(f"Saisissez un montant en euros, {EXAMPLE}.")
    # A sign is read, so that the field's lower bound says what is wrong with it.
    sign, value = ("-", value[1:].lstrip(SPACES)) if value[:1] in "-−" else ("", value)
    if "," in value and "." in value:
        raise AmountError(
            f"Un seul séparateur pour les centimes : écrivez le montant {EXAMPLE} "
            "(des espaces entre les milliers, une virgule avant les centimes).",
            "separators",
        )
    if _AMBIGUOUS.fullmatch(value):
        raise AmountError(
            f"« {value} » est ambigu : écrivez {value.replace('.', ' ')} pour des milliers, "
            f"ou {value[:-1].replace('.', ',')} pour des centimes.",
            "ambiguous",
        )
    found = _AMOUNT.fullmatch(value)
    if found is None:
        raise AmountError(f"Saisissez un montant en euros, {EXAMPLE}.")
    cents = found["cents"]
    if cents is not None and len(cents) > 2:
        raise AmountError("Deux décimales au plus (les centimes).", "decimals")
    units = re.sub(_SPACE, "", found["units"])
    return Decimal(f"{sign}{units}.{cents or '0'}")


def format_euros(value: Decimal, *, unit: bool = True, thousands: str = "\u00a0") -> str:
    """`11 008,76 €` (no-break spaces, so that an amount never wraps); `unit=False`: the
    number alone, as a form shows it for editing; `thousands`: the space between thousands
    (the one way the portal writes an amount: the list's cells and the supplements' texts
    choose their own space)."""
    amount = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    units, cents = f"{abs(amount):.2f}".split(".")
    grouped = f"{int(units):,}".replace(",", thousands)
    number = f"{'-' if amount < 0 else ''}{grouped},{cents}"
    return f"{number}\u00a0€" if unit else number


class MoneyField(forms.DecimalField):
    """An amount in euros, typed the French way in a text input (`inputmode="decimal"`: the
    phone's keypad with its comma; a number input would refuse "1 234,50" in the browser or
    send it away as 123450). Cents at most; 0 € allowed unless `min_value` says otherwise."""

    widget = forms.TextInput

    def __init__(self, *, min_value: Decimal | None = Decimal("0"), **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(min_value=min_value, **kwargs)
        if min_value is not None:  # else the caller's validators keep their own message
            positive = min_value > 0
            self.error_messages["min_value"] = (
                "Le montant doit être supérieur à 0,00\u00a0€." if positive else NEGATIVE
            )
        self.error_messages.update(
            {
                "max_digits": "Ce montant est trop élevé.",
                "max_whole_digits": "Ce montant est trop élevé.",
                "max_decimal_places": "Deux décimales au plus (les centimes).",
            }
        )

    # django-stubs type DecimalField.to_python as its parent IntegerField's (int | None).
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        try:
            return parse_amount(str(value))
        except AmountError as error:
            raise forms.ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        # An initial Decimal shows as the user would type it, "11 008,76", not "11008.76".
        return format_euros(value, unit=False) if isinstance(value, Decimal) else value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="decimal", autocomplete="off")
        return attrs
