from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from connect.accounts.policies import authenticated
from connect.documents.listing import document_list
from connect.dossiers.access import access_dossier
from connect.dossiers.models import StepKind

STEPS_ORDER_KEY = "dossier_steps_order"


@authenticated
def dossier_detail(request, code):
    dossier = access_dossier(request.user, code)
    documents = document_list(
        dossier=dossier,
        user=request.user,
        kind=request.GET.get("genre", ""),
        doc_type=request.GET.get("type", ""),
    )
    context = {"dossier": dossier, "documents": documents, "messages_url": _messages_url(dossier)}
    if request.htmx and request.htmx.target == "documents":
        return render(request, "dossiers/_detail_documents.html", context)
    descending = steps_descending(request)
    steps = list(dossier.steps.order_by("occurred_at", "id"))
    context.update(ve_exams(steps), steps=steps[::-1] if descending else steps)
    context["steps_descending"] = descending
    return render(request, "dossiers/detail.html", context)


def steps_descending(request) -> bool:
    """The timeline order the user chose (?etapes=desc|asc), remembered in the session."""
    choice = request.GET.get("etapes")
    if choice in ("asc", "desc"):
        request.session[STEPS_ORDER_KEY] = choice
    return request.session.get(STEPS_ORDER_KEY) == "desc"


def ve_exams(steps) -> dict:
    """The VE follow-up exams among the steps (chronological), done and upcoming."""
    now = timezone.now()
    exams = [step for step in steps if step.kind in (StepKind.EXAM, StepKind.VE)]
    return {
        "ve_exams_done": [step for step in exams if step.occurred_at <= now],
        "ve_exams_upcoming": [step for step in exams if step.occurred_at > now],
    }


def _messages_url(dossier) -> str | None:
    # The "Messages" tab belongs to messaging (URL name "messaging:threads"); until it exists the
    # tab is shown without a link.
    try:
        return reverse("messaging:threads", kwargs={"code": dossier.code})
    except NoReverseMatch:
        return None
