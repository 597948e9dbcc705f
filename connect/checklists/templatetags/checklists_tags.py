from django import template

from connect.checklists import queries

register = template.Library()


@register.inclusion_tag("checklists/_dossier_checklist.html", takes_context=True)
def dossier_checklist(context, dossier):
    """The dossier page's checklist: the garage answers there, staff get a link to tick."""
    user = context["request"].user
    requests = queries.requests_of(dossier)
    waiting = sum(item.awaits_garage for r in requests for item in r.items.all())
    return {
        "dossier": dossier,
        "requests": requests,
        "waiting": waiting,
        "can_answer": user.is_repairer,
        "is_staff": user.is_firm_staff,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
