"""The dossier's steps as its page shows them: the timeline order chosen, the VE exams."""

from django.utils import timezone

from connect.dossiers.models import StepKind

STEPS_ORDER_KEY = "dossier_steps_order"


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


def timeline(request, dossier) -> dict:
    """The page's timeline context: the steps in the chosen order and the VE exams."""
    descending = steps_descending(request)
    steps = list(dossier.steps.order_by("occurred_at", "id"))
    return {
        **ve_exams(steps),
        "steps": steps[::-1] if descending else steps,
        "steps_descending": descending,
    }
