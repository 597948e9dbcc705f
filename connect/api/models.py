from django.db import models


class Event(models.Model):
    """Something a repairer sent, for the core system to collect (GET /api/v1/events)."""

    kind = models.CharField(max_length=40)
    garage = models.ForeignKey(
        "accounts.Garage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.kind}"
