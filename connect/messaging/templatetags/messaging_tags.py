from django import template

from connect.messaging import queries

register = template.Library()


@register.inclusion_tag("messaging/_dossier_requests.html")
def dossier_requests(dossier):
    """For the dossier's "Informations" tab: invoice sent, exams asked for (two queries)."""
    return {
        "dossier": dossier,
        "invoice": queries.last_invoice(dossier),
        "exams": queries.exams_of(dossier),
    }
