"""The invoice's states: received (the repairer sent it) → validated or rejected → paid.

Each change locks the invoice row, checks the transition, writes the state and a history row,
records the event for the core system's feed, queues the garage's e-mail (rejected, paid) and
touches the dossier (the ball: a received invoice waits on the firm), all in one transaction.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from connect.api.events import record_event
from connect.dossiers.touch import touch_dossiers
from connect.invoices import notifications
from connect.invoices.models import Invoice, InvoiceState, InvoiceStateChange
from connect.invoices.tasks import read_invoice_document
from connect.lib.money import format_euros

CORE_SYSTEM = None  # `by` of a change made by the core claims system


class TransitionRefused(Exception):
    """The invoice's current state does not allow this change (the API answers 409)."""

    def __init__(self, invoice: Invoice, state: str):
        self.current, self.wanted = invoice.state, state
        current = InvoiceState(invoice.state).label.lower()
        super().__init__(
            f"Cette facture est {current} : elle ne peut pas être "
            f"{InvoiceState(state).label.lower()}."
        )


@transaction.atomic
def receive_invoice(*, dossier, document, at: datetime | None = None, by=None) -> Invoice:
    """The repairer sent "Facture définitive des réparations": a new invoice, received."""
    at = at or timezone.now()
    invoice = Invoice.objects.create(dossier=dossier, document=document, received_at=at)
    InvoiceStateChange.objects.create(invoice=invoice, state=InvoiceState.RECEIVED, at=at, by=by)
    _record("invoice.received", invoice)
    touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
    if document is not None:
        # Read off the request path: a PDF can take time, and a failure never stops the invoice.
        read_invoice_document.enqueue(invoice.pk)
    return invoice


def validate_invoice(
    *,
    invoice: Invoice,
    by,
    amount_excl_vat: Decimal | None = None,
    amount_incl_vat: Decimal | None = None,
) -> Invoice:
    def apply(row: Invoice, now: datetime) -> str:
        row.decided_at = now
        if amount_excl_vat is not None:
            row.amount_excl_vat = amount_excl_vat
        if amount_incl_vat is not None:
            row.amount_incl_vat = amount_incl_vat
        return ""

    return _change(invoice, InvoiceState.VALIDATED, by, apply)


def reject_invoice(*, invoice: Invoice, by, reason: str) -> Invoice:
    def apply(row: Invoice, now: datetime) -> str:
        row.decided_at, row.rejection_reason = now, reason
        return reason

    return _change(invoice, InvoiceState.REJECTED, by, apply)


def pay_invoice(*, invoice: Invoice, by, paid_on: date, amount: Decimal, reference: str) -> Invoice:
    def apply(row: Invoice, now: datetime) -> str:
        row.paid_on, row.paid_amount, row.payment_reference = paid_on, amount, reference
        return f"{format_euros(amount)} le {paid_on:%d/%m/%Y} · {reference}"

    return _change(invoice, InvoiceState.PAID, by, apply)


# Internals ---------------------------------------------------------------------------------

EVENTS: dict[str, str] = {
    InvoiceState.VALIDATED: "invoice.validated",
    InvoiceState.REJECTED: "invoice.rejected",
    InvoiceState.PAID: "invoice.paid",
}


@transaction.atomic
def _change(invoice: Invoice, state: str, by, apply) -> Invoice:
    # The row as it is now, locked: two deciders at once cannot both pass the check.
    row = Invoice.objects.select_for_update().select_related("dossier__garage").get(pk=invoice.pk)
    if not row.can_become(state):
        raise TransitionRefused(row, state)
    now = timezone.now()
    note = apply(row, now)
    row.state = state
    row.save()
    InvoiceStateChange.objects.create(
        invoice=row, state=state, at=now, by=by, by_core_system=by is CORE_SYSTEM, note=note
    )
    _record(EVENTS[state], row)
    if state in (InvoiceState.REJECTED, InvoiceState.PAID):
        notifications.notify_garage(row)
    touch_dossiers([row.dossier_id], garage_ids=[row.dossier.garage_id])
    return row


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def invoice_payload(invoice: Invoice) -> dict:
    """What the feed and the API say of an invoice (the same shape)."""
    return {
        "code": str(invoice.code),
        "dossier": invoice.dossier.reference,
        "state": invoice.state,
        "received_at": invoice.received_at.isoformat(),
        "document": str(invoice.document.code) if invoice.document else None,
        "amount_excl_vat": _money(invoice.amount_excl_vat),
        "amount_incl_vat": _money(invoice.amount_incl_vat),
        "rejection_reason": invoice.rejection_reason,
        "paid_on": invoice.paid_on.isoformat() if invoice.paid_on else None,
        "paid_amount": _money(invoice.paid_amount),
        "payment_reference": invoice.payment_reference,
        "reading": invoice.reading,
    }


def _record(kind: str, invoice: Invoice) -> None:
    documents = [invoice.document] if invoice.document and kind == "invoice.received" else []
    record_event(
        kind,
        payload={"invoice": invoice_payload(invoice)},
        dossier=invoice.dossier,
        documents=documents,
    )
