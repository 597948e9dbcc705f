"""Supplements ("Evolution méthodologie"): the garage asks for an amount excl. VAT, with lines
or a PDF and photos; the expert decides, and every decision is a row of its own (the history of
amounts is kept, never overwritten; the latest decision is the one in force)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from connect.dossiers.models import Dossier


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepté"
    PARTLY = "partly", "Accepté en partie"
    REFUSED = "refused", "Refusé"


class Supplement(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplements", verbose_name="dossier"
    )
    # By string: messaging sits above this app and is never imported from here (a declared
    # upward link, README "Layers").
    thread = models.ForeignKey(
        "messaging.Thread",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supplements",
        verbose_name="fil",
    )
    amount = models.DecimalField("montant HT demandé", max_digits=12, decimal_places=2)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name="PDF et photos"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="demandé par",
    )
    submitted_at = models.DateTimeField("demandé le", default=timezone.now)

    class Meta:
        verbose_name = "supplément"
        verbose_name_plural = "suppléments"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"Supplément de {self.amount} € HT"

    @property
    def decision(self) -> "SupplementDecision | None":
        """The decision in force: the latest (reads the prefetched `decisions`)."""
        decisions = list(self.decisions.all())
        return max(decisions, key=lambda d: (d.decided_at, d.pk)) if decisions else None

    @property
    def agreed_amount(self) -> Decimal:
        decision = self.decision
        return decision.accepted_amount if decision else Decimal("0")


class SupplementLine(models.Model):
    supplement = models.ForeignKey(
        Supplement, on_delete=models.CASCADE, related_name="lines", verbose_name="supplément"
    )
    position = models.PositiveSmallIntegerField("rang", default=0)
    label = models.CharField("libellé", max_length=200)
    amount = models.DecimalField("montant HT", max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "ligne de supplément"
        verbose_name_plural = "lignes de supplément"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class SupplementDecision(models.Model):
    supplement = models.ForeignKey(
        Supplement, on_delete=models.CASCADE, related_name="decisions", verbose_name="supplément"
    )
    outcome = models.CharField("décision", max_length=10, choices=Outcome.choices)
    # What the firm agrees to pay: the amount asked, a part of it, or 0 when refused.
    accepted_amount = models.DecimalField("montant HT accordé", max_digits=12, decimal_places=2)
    reason = models.TextField("motif", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="décidé par",
    )
    decided_at = models.DateTimeField("décidé le", default=timezone.now)
    # The form's token: a double click or a replayed post records the decision once.
    idempotency_key = models.UUIDField("clé d'idempotence", null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "décision sur un supplément"
        verbose_name_plural = "décisions sur les suppléments"
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return self.get_outcome_display()


class SupplementCeiling(models.Model):
    """The expert allows, on one dossier, supplements above the usual bound (the repair
    amount): each raise is a row of its own, the latest in force."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="+", verbose_name="dossier"
    )
    up_to = models.DecimalField("plafond HT par supplément", max_digits=12, decimal_places=2)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="relevé par",
    )
    raised_at = models.DateTimeField("relevé le", default=timezone.now)

    class Meta:
        verbose_name = "plafond des suppléments"
        verbose_name_plural = "plafonds des suppléments"
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"Jusqu'à {self.up_to} € HT"
