import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from connect.dossiers.models import Dossier


class InsuredQuestion(models.Model):
    """ "Question sur mon dossier": the insured writes to the firm's client advisor, who answers.
    Never shown to the garage; while unanswered it waits on the firm (insured/waits.py), so it
    has the ball's due date and its line in the advisors' inbox."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="insured_questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField("question", max_length=4000)
    asked_at = models.DateTimeField("posée le", default=timezone.now)
    answer = models.TextField("réponse", max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)

    class Meta:
        verbose_name = "question de l'assuré"
        verbose_name_plural = "questions des assurés"
        ordering = ["asked_at", "id"]
        indexes = [
            models.Index(
                fields=["dossier"],
                condition=models.Q(answered_at__isnull=True),
                name="insured_question_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.asked_at:%d/%m/%Y}"


class InsuredSurvey(models.Model):
    """The insured's one survey per dossier once the vehicle is ready: a score from 0 to 10 and a
    comment. A score of 6 or less waits on the firm ("Assuré à rappeler", insured/waits.py)
    until an advisor marks the insured called back."""

    LOW_SCORE = 6

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="insured_survey")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField("note")
    comment = models.TextField("commentaire", max_length=2000, blank=True)
    answered_at = models.DateTimeField("répondu le", default=timezone.now)
    called_back_at = models.DateTimeField("rappelé le", null=True, blank=True)
    called_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "avis de l'assuré"
        verbose_name_plural = "avis des assurés"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__lte=10), name="insured_survey_score_0_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.score}/10"

    @property
    def needs_callback(self) -> bool:
        return self.score <= self.LOW_SCORE and self.called_back_at is None
