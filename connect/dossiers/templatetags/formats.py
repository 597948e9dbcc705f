"""French display formats, shared by the pages and the exports: `25/11/2026`, `2 725,90 €`."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from connect.lib.money import format_euros
from connect.lib.plural import french_plural

register = template.Library()


def format_date(value: date | datetime | None) -> str:
    """`25/11/2026`; an aware datetime is shown in the portal's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


def format_number(value: Decimal | int | float | None) -> str:
    """`2 725,90`: two decimals, a space between thousands, a decimal comma."""
    if value is None or value == "":
        return ""
    return format_euros(Decimal(value), unit=False, thousands=" ")


def format_amount(value: Decimal | int | float | None) -> str:
    """`2 725,90 €`."""
    number = format_number(value)
    return f"{number} €" if number else ""


def format_count(value: int) -> str:
    """`1 000`: a space between thousands (no-break, as French writes it)."""
    return f"{value:,}".replace(",", "\u00a0")


register.filter("fr_date", format_date)
register.filter("fr_count", format_count)
register.filter("fr_amount", format_amount)


# French counts 0 and 1 in the singular: `0 résultat`, `1 dossier`, `2 dossiers`.
register.filter("fr_plural", french_plural)
