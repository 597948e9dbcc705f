from django import template

from connect.invoices.models import Invoice

register = template.Library()


@register.inclusion_tag("invoices/_dossier_invoices.html")
def dossier_invoices(dossier, staff=False):
    """The dossier's invoices and their states (one query), for the dossier pages."""
    invoices = list(Invoice.objects.filter(dossier=dossier).order_by("-received_at", "-id"))
    return {"invoices": invoices, "staff": staff}
