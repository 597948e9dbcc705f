from django.db import models

from connect.accounts.models import Unit
from connect.deadlines.sources import WaitKind
from connect.dossiers.models import Ball, Dossier

WEEKDAY_CHOICES = [
    (0, "lundi"),
    (1, "mardi"),
    (2, "mercredi"),
    (3, "jeudi"),
    (4, "vendredi"),
    (5, "samedi"),
    (6, "dimanche"),
]


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


class Measure(models.TextChoices):
    HOURS = "hours", "heures ouvrées"
    DAYS = "days", "jours ouvrés"


class ServiceLevel(models.Model):
    """The firm's delay for one kind of wait ("délai de traitement"), optionally for one thread
    subject: a row with a subject beats the kind's row without one. A kind with no row has no
    due date (the garage's waits, by default)."""

    kind = models.CharField("attente", max_length=30, choices=WaitKind.choices)
    # A messaging subject key ("expert", "conseiller"…); blank: every subject.
    subject = models.CharField("objet", max_length=30, blank=True)
    amount = models.PositiveSmallIntegerField("délai")
    measure = models.CharField("unité", max_length=10, choices=Measure.choices)

    class Meta:
        verbose_name = "délai de traitement"
        verbose_name_plural = "délais de traitement"
        ordering = ["kind", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject"], name="service_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.amount} {self.get_measure_display()}"


class OpeningHours(models.Model):
    """When a unit works, one row per opening of a weekday (two rows for a lunch break). A
    unit with no row works Monday–Friday 9:00–12:30 and 14:00–18:00 (clock.DEFAULT_HOURS)."""

    unit = models.ForeignKey(
        Unit, verbose_name="unité", on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField("jour", choices=WEEKDAY_CHOICES)
    opens = models.TimeField("ouverture")
    closes = models.TimeField("fermeture")

    class Meta:
        verbose_name = "horaire d'ouverture"
        verbose_name_plural = "horaires d'ouverture"
        ordering = ["unit", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
