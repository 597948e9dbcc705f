from decimal import Decimal

from django import template

from connect.supplements import amounts, forms, queries, services

register = template.Library()


@register.filter
def euros(amount: Decimal | None) -> str:
    return amounts.euros(amount)


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


@register.filter
def line_rows(form) -> list[tuple]:
    """The composer's supplement lines (forms.line_rows), row by row."""
    return forms.line_rows(form)
