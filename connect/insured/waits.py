"""The insured's questions for the ball (connect/deadlines/sources.py): an unanswered question
waits on the firm (its client advisor) from the moment it was asked."""

from connect.deadlines.sources import Wait, WaitKind, source
from connect.insured.models import InsuredQuestion, InsuredSurvey


@source
def question_waits(dossier_ids) -> list[Wait]:
    questions = InsuredQuestion.objects.filter(
        dossier_id__in=list(dossier_ids), answered_at__isnull=True
    ).only("id", "dossier_id", "asked_at")
    return [
        Wait(
            dossier_id=question.dossier_id,
            kind=WaitKind.INSURED_QUESTION,
            since=question.asked_at,
            key=f"insured-question:{question.pk}",
            label="Question de l'assuré",
        )
        for question in questions
    ]


@source
def callback_waits(dossier_ids) -> list[Wait]:
    """A low score (6 or less) waits on the firm until the insured is called back."""
    surveys = InsuredSurvey.objects.filter(
        dossier_id__in=list(dossier_ids),
        score__lte=InsuredSurvey.LOW_SCORE,
        called_back_at__isnull=True,
    ).only("id", "dossier_id", "answered_at", "score")
    return [
        Wait(
            dossier_id=survey.dossier_id,
            kind=WaitKind.INSURED_CALLBACK,
            since=survey.answered_at,
            key=f"insured-survey:{survey.pk}",
            label=f"Note {survey.score}/10",
        )
        for survey in surveys
    ]
