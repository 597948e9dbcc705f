from django.db import models

from connect.dossiers.models import Ball, Dossier


class WaitPeriod(models.Model):
    """One wait on a dossier, from its start to its end: the dossier page's history of waits,
    the dashboard's response times. Kept when the wait ends (ended_at), never deleted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="wait_periods")
    kind = models.CharField("attente", max_length=30)
    side = models.CharField("à qui la main", max_length=10, choices=Ball.choices)
    # The fact waited on, stable across recomputes ("thread:<code>", "supplement:<id>"…).
    key = models.CharField(max_length=80)
    subject = models.CharField("objet", max_length=30, blank=True)
    label = models.CharField("libellé", max_length=200, blank=True)
    since = models.DateTimeField("depuis")
    due_at = models.DateTimeField("échéance", null=True, blank=True)
    ended_at = models.DateTimeField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "attente"
        ordering = ["since", "id"]
        indexes = [
            models.Index(fields=["dossier", "since"], name="wait_dossier_since"),
            models.Index(
                fields=["due_at"], condition=models.Q(ended_at__isnull=True), name="wait_open_due"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "key"],
                condition=models.Q(ended_at__isnull=True),
                name="wait_one_open_per_fact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · {self.kind} · {self.since:%Y-%m-%d %H:%M}"
