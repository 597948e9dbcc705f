import uuid

from django.conf import settings
from django.db import models

from connect.dossiers.models import Dossier


class UploadState(models.TextChoices):
    RECEIVING = "receiving", "en cours d'envoi"
    COMPLETE = "complete", "complet et vérifié"
    REJECTED = "rejected", "refusé"
    CONSUMED = "consumed", "joint à un message"


class Upload(models.Model):
    """One file sent in chunks by its uploader, then taken whole by one message.

    The chunks are stored as parts `uploads/<code>/<n>` under the default storage (files or S3)
    and assembled when the message takes the upload; `offset` is what the server holds.
    """

    code = models.UUIDField("code", default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name="auteur de l'envoi"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, verbose_name="dossier")
    file_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveBigIntegerField("taille annoncée (octets)")
    sha256 = models.CharField("SHA-256 annoncé", max_length=64)
    offset = models.PositiveBigIntegerField("octets reçus", default=0)
    parts = models.PositiveIntegerField("morceaux reçus", default=0)
    state = models.CharField(
        "état", max_length=16, choices=UploadState.choices, default=UploadState.RECEIVING
    )
    reason = models.CharField("motif du refus", max_length=500, blank=True)
    # The documents' checks passed when the last chunk came in (type from the bytes, antivirus):
    # a message then reads this, not the file again. Empty: not checked (clamd was away).
    checked_type = models.CharField("type vérifié", max_length=100, blank=True)
    metadata = models.JSONField("champs du fichier", default=dict, blank=True)
    message_key = models.UUIDField("clé du message qui l'a pris", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le", db_index=True)

    class Meta:
        verbose_name = "envoi par morceaux"
        verbose_name_plural = "envois par morceaux"
        indexes = [models.Index(fields=["user", "dossier", "state"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    def part_name(self, number: int) -> str:
        return f"uploads/{self.code}/{number}"

    @property
    def part_names(self) -> list[str]:
        return [self.part_name(number) for number in range(self.parts)]
