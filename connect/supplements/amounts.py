"""Amounts in French for the supplements' pages, e-mails and messages."""

from decimal import Decimal


def euros(amount: Decimal | None) -> str:
    """1234.5 → "1 234,50" (narrow no-break space between thousands, as French writes it)."""
    if amount is None:
        return "—"
    whole, _, cents = f"{amount:.2f}".partition(".")
    return f"{int(whole):,}".replace(",", "\u202f") + f",{cents}"
