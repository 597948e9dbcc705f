from django.conf import settings
from django.db import models

from connect.accounts.models import Garage


class AuditAction(models.TextChoices):
    ACCOUNT_CREATED = "account_created", "Compte créé"
    ACCOUNT_ATTACHED = "account_attached", "Compte rattaché au garage"
    INVITATION_SENT = "invitation_sent", "Invitation renvoyée"
    ACCOUNT_DISABLED = "account_disabled", "Compte désactivé"
    ACCOUNT_ENABLED = "account_enabled", "Compte réactivé"
    MEMBERSHIP_REMOVED = "membership_removed", "Compte retiré du garage"
    GARAGE_UPDATED = "garage_updated", "Garage modifié"


class AuditEntry(models.Model):
    """Who did what to a garage or its accounts, and when (shown on the garage's page)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("action", max_length=30, choices=AuditAction.choices)
    garage = models.ForeignKey(
        Garage, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte concerné",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField("détails", default=dict, blank=True)
    created_at = models.DateTimeField("date", auto_now_add=True)

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["garage", "-created_at"], name="audit_garage_date")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.created_at:%d/%m/%Y %H:%M}"
