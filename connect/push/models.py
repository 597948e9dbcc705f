"""Web Push: the browsers a user subscribed, and which kinds of news each user wants pushed."""

from django.conf import settings
from django.db import models


class PushKind(models.TextChoices):
    """What may be pushed; each is opted into per user ("Notifications" of issue 18)."""

    FIRM_REPLY = "firm_reply", "Une réponse du cabinet"
    EXAM_DECIDED = "exam_decided", "Un examen confirmé ou refusé"
    DOCUMENT_PUBLISHED = "document_published", "Un document publié"
    # Sent once the checklists app is merged (the lead wires its call); offered from now on.
    CHECKLIST_REQUEST = "checklist_request", "Un complément demandé"
    SUPPLEMENT_DECIDED = "supplement_decided", "Une décision sur un supplément"
    INVOICE_DECIDED = "invoice_decided", "Une facture payée ou refusée"


class PushSubscription(models.Model):
    """One browser's push channel: the endpoint is the push service's URL for that browser,
    p256dh and auth its keys for encrypting the payload (RFC 8291)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField("adresse du service push", max_length=1000, unique=True)
    p256dh = models.CharField("clé publique du navigateur", max_length=200)
    auth = models.CharField("secret d'authentification", max_length=100)
    user_agent_label = models.CharField("navigateur", max_length=120, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_success_at = models.DateTimeField("dernier envoi réussi", null=True, blank=True)
    failures = models.PositiveIntegerField("échecs consécutifs", default=0)

    class Meta:
        verbose_name = "abonnement push"
        verbose_name_plural = "abonnements push"

    def __str__(self) -> str:
        return f"{self.user} · {self.user_agent_label or 'navigateur'}"

    def info(self) -> dict:
        """The subscription as pywebpush (and the browser's PushSubscription.toJSON) spell it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.CASCADE,
        related_name="push_preferences",
    )
    kind = models.CharField("type de notification", max_length=40, choices=PushKind.choices)
    enabled = models.BooleanField("activée", default=False)

    class Meta:
        verbose_name = "préférence push"
        verbose_name_plural = "préférences push"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="push_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {'oui' if self.enabled else 'non'}"
