from decimal import Decimal

from django import template

from connect.supplements import queries, services

register = template.Library()


@register.filter
def euros(amount: Decimal | None) -> str:
    """1234.5 → "1 234,50" (narrow no-break space between thousands, as French writes it)."""
    if amount is None:
        return "—"
    whole, _, cents = f"{amount:.2f}".partition(".")
    return f"{int(whole):,}".replace(",", "\u202f") + f",{cents}"


@register.inclusion_tag("supplements/_dossier_supplements.html", takes_context=True)
def dossier_supplements(context, dossier):
    """The dossier page's supplements: each with its decision in force and its history, and
    the agreed total (services.agreed_total says the rule)."""
    supplements = queries.supplements_of(dossier)
    return {
        "dossier": dossier,
        "supplements": supplements,
        "agreed_total": services.agreed_total(dossier, supplements) if supplements else None,
        "is_staff": context["request"].user.is_firm_staff,
    }


@register.inclusion_tag("supplements/_thread_supplements.html")
def thread_supplements(thread):
    """In the thread a supplement was asked from (both sides): its decision with its amount,
    and the earlier ones."""
    return {"supplements": queries.supplements_of_thread(thread)}
