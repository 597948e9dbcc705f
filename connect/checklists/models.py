"""The expert's requests as a checklist: a Request groups the items asked at once; each
RequestItem goes requested → answered → received, or back to asked_again with a reason."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from connect.documents.models import DocumentType
from connect.dossiers.models import Dossier


class ItemStatus(models.TextChoices):
    REQUESTED = "requested", "Demandé"
    ANSWERED = "answered", "Répondu, à vérifier"
    RECEIVED = "received", "Reçu"
    ASKED_AGAIN = "asked_again", "Redemandé"


# The item waits on the garage in these states (COMPLEMENT_REQUESTED), on the firm in ANSWERED.
AWAITING_GARAGE = (ItemStatus.REQUESTED, ItemStatus.ASKED_AGAIN)


class Request(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="checklist_requests", verbose_name="dossier"
    )
    # By string: messaging sits above this app and is never imported from here (a declared
    # upward link, README "Layers").
    thread = models.ForeignKey(
        "messaging.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checklist_requests",
        verbose_name="fil",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="demandé par",
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    # The form's token: a double click or a replayed post creates the request once.
    idempotency_key = models.UUIDField("clé d'idempotence", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "demande de compléments"
        verbose_name_plural = "demandes de compléments"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Demande du {self.created_at:%d/%m/%Y}"


class RequestItem(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="items", verbose_name="demande"
    )
    position = models.PositiveSmallIntegerField("rang", default=0)
    doc_type = models.CharField(
        "type de document", max_length=40, choices=DocumentType.choices, blank=True
    )
    label = models.CharField("libellé", max_length=200)
    status = models.CharField(
        "état", max_length=20, choices=ItemStatus.choices, default=ItemStatus.REQUESTED
    )
    asked_again_reason = models.TextField("motif de la nouvelle demande", blank=True)
    note = models.TextField("réponse", blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name="documents"
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="répondu par",
    )
    checked_at = models.DateTimeField("vérifié le", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="vérifié par",
    )

    class Meta:
        verbose_name = "élément demandé"
        verbose_name_plural = "éléments demandés"
        ordering = ["request_id", "position", "id"]
        indexes = [models.Index(fields=["status"], name="checklists_item_status")]

    def __str__(self) -> str:
        return self.label

    @property
    def awaits_garage(self) -> bool:
        return self.status in AWAITING_GARAGE

    @property
    def awaits_check(self) -> bool:
        return self.status == ItemStatus.ANSWERED

    @property
    def waiting_since(self):
        """When the current wait began: the request, the answer, or the expert's new ask."""
        if self.status == ItemStatus.ANSWERED:
            return self.answered_at
        if self.status == ItemStatus.ASKED_AGAIN:
            return self.checked_at
        return self.request.created_at
