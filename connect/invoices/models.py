import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from connect.dossiers.models import Dossier


class InvoiceState(models.TextChoices):
    RECEIVED = "received", "Reçue"
    VALIDATED = "validated", "Validée"
    REJECTED = "rejected", "Refusée"
    PAID = "paid", "Payée"


# What each state may become; anything else is refused (a 409 through the API).
NEXT_STATES: dict[str, tuple[str, ...]] = {
    InvoiceState.RECEIVED: (InvoiceState.VALIDATED, InvoiceState.REJECTED),
    InvoiceState.VALIDATED: (InvoiceState.PAID, InvoiceState.REJECTED),
    InvoiceState.REJECTED: (),
    InvoiceState.PAID: (),
}


class InvoiceQuerySet(models.QuerySet):
    def awaiting_validation(self):
        return self.filter(state=InvoiceState.RECEIVED)

    def awaiting_payment(self):
        return self.filter(state=InvoiceState.VALIDATED)


class Invoice(models.Model):
    """The garage's final repair invoice on a dossier, from its receipt until it is paid.

    One row per invoice sent: an invoice sent again after a rejection is a new row, so that the
    rejected one keeps its reason and its history.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="invoices")
    document = models.ForeignKey(
        "documents.Document",
        verbose_name="document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invoices",
    )
    state = models.CharField(
        "état", max_length=10, choices=InvoiceState.choices, default=InvoiceState.RECEIVED
    )
    amount_excl_vat = models.DecimalField(
        "montant HT", max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_incl_vat = models.DecimalField(
        "montant TTC", max_digits=12, decimal_places=2, null=True, blank=True
    )
    received_at = models.DateTimeField("reçue le", default=timezone.now)
    decided_at = models.DateTimeField("validée ou refusée le", null=True, blank=True)
    rejection_reason = models.TextField("motif du refus", blank=True)
    paid_on = models.DateField("payée le", null=True, blank=True)
    paid_amount = models.DecimalField(
        "montant payé", max_digits=12, decimal_places=2, null=True, blank=True
    )
    payment_reference = models.CharField("référence du paiement", max_length=100, blank=True)
    # What was read in the invoice's PDF (reading.InvoiceReading.as_dict()), None until the
    # reading task ran; checked against the dossier when shown (reading.checks).
    reading = models.JSONField("lecture", null=True, blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "facture"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["dossier", "-received_at"], name="invoice_dossier_recent"),
            # The garage's list and the dashboard: one state's invoices (joined on the dossier).
            models.Index(fields=["state", "dossier"], name="invoice_state_dossier"),
        ]

    def __str__(self) -> str:
        return f"Facture {self.dossier_id} · {self.get_state_display()}"

    @property
    def amount(self):
        """The amount the lists add up: the paid amount once paid, else the invoice's (TTC
        when known, else HT)."""
        if self.paid_amount is not None:
            return self.paid_amount
        return self.amount_incl_vat if self.amount_incl_vat is not None else self.amount_excl_vat

    def can_become(self, state: str) -> bool:
        return state in NEXT_STATES[self.state]


class InvoiceStateChange(models.Model):
    """One step of an invoice's history; never edited."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="changes")
    state = models.CharField("état", max_length=10, choices=InvoiceState.choices)
    at = models.DateTimeField("date", default=timezone.now)
    # None: the core claims system (through the API) or the repairer's sending.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_core_system = models.BooleanField("par le système de gestion", default=False)
    note = models.TextField("précision", blank=True)

    class Meta:
        verbose_name = "changement d'état de facture"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.invoice_id} · {self.state} · {self.at:%Y-%m-%d %H:%M}"
