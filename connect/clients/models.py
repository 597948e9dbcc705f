"""The firm's clients (insurers, lessors, fleet managers) and the people who follow their
portfolio on the portal."""

from django.conf import settings
from django.db import models


class ClientKind(models.TextChoices):
    INSURER = "insurer", "Assureur"
    LESSOR = "lessor", "Loueur"
    FLEET = "fleet", "Gestionnaire de flotte"
    OTHER = "other", "Autre"


class Client(models.Model):
    """Who orders and pays the expertises: the core system links each dossier to one."""

    external_id = models.CharField("identifiant externe", max_length=64, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=10, choices=ClientKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "client"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClientMember(models.Model):
    """A user of role CLIENT and the client whose portfolio they follow; `region` ("" = the
    whole portfolio) limits them to the dossiers carrying that region or agency label."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_member"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="members")
    region = models.CharField("région / agence", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "utilisateur client"
        verbose_name_plural = "utilisateurs clients"

    def __str__(self) -> str:
        return f"{self.user} · {self.client}"


class MonthlyReport(models.Model):
    """The monthly e-mail a client user received (issue 27): one row per user and month, so
    that a job run twice, or on two machines, sends it once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("mois")  # its first day
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "e-mail mensuel"
        verbose_name_plural = "e-mails mensuels"
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="monthly_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.month:%Y-%m}"
