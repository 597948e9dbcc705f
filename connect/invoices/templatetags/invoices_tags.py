from django import template

from connect.dossiers.panels import has_rows
from connect.invoices.models import Invoice

register = template.Library()


@register.inclusion_tag("invoices/_dossier_invoices.html", takes_context=True)
def dossier_invoices(context, dossier):
    """The dossier's invoices and their states (one query), for the dossier pages; the firm's
    staff get a link to each invoice's decision page, repairers one to "Mes factures"."""
    invoices = (
        list(Invoice.objects.filter(dossier=dossier).order_by("-received_at", "-id"))
        if has_rows(dossier, "invoices")
        else []
    )
    # Inside another inclusion tag (messaging's dossier_requests) there is no user: no link.
    user = context.get("user")
    return {
        "invoices": invoices,
        "staff": bool(user and user.is_firm_staff),
        "repairer": bool(user and user.is_repairer),
    }
