from django import template

from connect.checklists import queries

register = template.Library()


@register.inclusion_tag("checklists/_dossier_checklist.html", takes_context=True)
def dossier_checklist(context, dossier):
    """The dossier page's checklist: the garage answers there, staff get a link to tick."""
    user = context["request"].user
    requests, waiting = _checklist(dossier)
    return {
        "dossier": dossier,
        "requests": requests,
        "waiting": waiting,
        "can_answer": user.is_repairer,
        "is_staff": user.is_firm_staff,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("checklists/_jump.html")
def checklist_jump(dossier):
    """At the top of the dossier page: on a phone the checklist sits screens below."""
    requests, waiting = _checklist(dossier)
    return {"requests": requests, "waiting": waiting}


@register.inclusion_tag("checklists/_thread_requests.html", takes_context=True)
def thread_requests(context, thread):
    """In the thread a request was asked from (both sides): what was asked, item by item."""
    return {
        "requests": queries.requests_of_thread(thread),
        "dossier": thread.dossier,
        "is_staff": context["request"].user.is_firm_staff,
    }


def _checklist(dossier) -> tuple[list, int]:
    # Read once per page: the jump link and the checklist show the same requests.
    if not hasattr(dossier, "_checklist"):
        requests = queries.requests_of(dossier)
        waiting = sum(item.awaits_garage for r in requests for item in r.items.all())
        dossier._checklist = (requests, waiting)
    return dossier._checklist
