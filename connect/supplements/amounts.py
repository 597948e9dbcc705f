"""Amounts in French for the supplements' pages, e-mails and messages."""

from decimal import Decimal

from connect.lib.money import format_euros


def euros(amount: Decimal | None) -> str:
    """1234.5 → "1 234,50" (narrow no-break space between thousands, as French writes it)."""
    if amount is None:
        return "—"
    return format_euros(amount, unit=False, thousands="\u202f")
