"""Invoices: the core system reads a dossier's invoices and sets their states.

received (the repairer sent it) → validated or rejected (with a reason) → paid (date, amount,
reference). A transition the current state does not allow is a 409 `invalid_transition`.
"""

from decimal import Decimal
from typing import Annotated

from django.http import HttpResponse
from ninja import Field, Path, Router, Schema
from pydantic import ConfigDict

from connect.api import idempotency
from connect.api.endpoints.dossiers import dossier_by_reference
from connect.api.errors import ApiError, not_found
from connect.api.responses import documented
from connect.api.schemas import Amount, Date, PositiveAmount, Reference, Text
from connect.invoices import services
from connect.invoices.models import Invoice
from connect.lib.http import uuid_or_none

router = Router(tags=["Factures"])

InvoiceCode = Annotated[str, Text(36, 1)]


class InvoiceOut(Schema):
    code: str
    dossier: str = Field(..., description="Référence du dossier.")
    state: str = Field(..., description="received, validated, rejected ou paid.")
    received_at: str
    document: str | None = Field(None, description="Code du document de la facture.")
    amount_excl_vat: str | None = None
    amount_incl_vat: str | None = None
    rejection_reason: str = ""
    paid_on: str | None = None
    paid_amount: str | None = None
    payment_reference: str = ""
    reading: dict | None = Field(
        None,
        description=(
            "Ce que le portail a lu dans le PDF de la facture (null tant qu'elle n'est pas lue) : "
            "`source` (`facturx` : données Factur-X du PDF ; `text` : texte du PDF ; `none` : "
            "non lue, `problem` dit pourquoi), `number`, `issued_on` (AAAA-MM-JJ), `siret`, "
            "`vat_number`, `total_excl_vat`, `total_vat`, `total_incl_vat`, `vat_rate` "
            '(chaînes, "" quand non lu). Les contrôles sont dans l\'événement `invoice.read`.'
        ),
    )


class InvoiceList(Schema):
    invoices: list[InvoiceOut]


class ValidateIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it
    amount_excl_vat: Amount | None = None
    amount_incl_vat: Amount | None = Field(None, description="Montant TTC, chaîne décimale.")


class RejectIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, Text(1000, 1)] = Field(..., description="Motif, montré au garage.")


class PayIn(Schema):
    model_config = ConfigDict(extra="forbid")
    paid_on: Date
    amount: PositiveAmount = Field(
        ..., description="Montant payé en euros, chaîne décimale, supérieur à 0."
    )
    reference: Annotated[str, Text(100, 1)] = Field(
        ..., description="Référence du paiement (virement…)."
    )


def invoice_by_code(code: str) -> Invoice:
    key = uuid_or_none(code)
    if key is None:
        raise not_found("Facture", "Invoice")
    found = Invoice.objects.select_related("dossier__garage", "document").filter(code=key).first()
    if found is None:
        raise not_found("Facture", "Invoice")
    return found


def invoice_out(invoice: Invoice) -> InvoiceOut:
    return InvoiceOut(**services.invoice_payload(invoice))


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _transition(request, response, code: str, name: str, payload: Schema, act):
    invoice = invoice_by_code(code)

    def action():
        try:
            return 200, invoice_out(act(invoice))
        except services.TransitionRefused as refused:
            raise ApiError(
                409,
                "invalid_transition",
                str(refused),
                f"Invoice is {refused.current}: it cannot become {refused.wanted}.",
            ) from None

    request_hash = idempotency.digest(name, code, payload.model_dump_json())
    return idempotency.once(request, response, request_hash=request_hash, action=action)


TRANSITION = documented({200: InvoiceOut}, conflict=True)


@router.get("/dossiers/{reference}/invoices", response=documented({200: InvoiceList}))
def list_invoices(request, reference: Path[Reference]):
    """Les factures du dossier, la plus récente d'abord (une facture renvoyée après un refus est
    une nouvelle facture)."""
    dossier = dossier_by_reference(reference)
    invoices = Invoice.objects.filter(dossier=dossier).select_related("dossier", "document")
    return InvoiceList(invoices=[invoice_out(i) for i in invoices.order_by("-received_at", "-id")])


@router.get("/invoices/{code}", response=documented({200: InvoiceOut}))
def get_invoice(request, code: Path[InvoiceCode]):
    """Une facture et son état."""
    return invoice_out(invoice_by_code(code))


@router.post("/invoices/{code}/validate", response=TRANSITION)
def validate_invoice(request, response: HttpResponse, code: Path[InvoiceCode], payload: ValidateIn):
    """Valide une facture reçue (montants HT/TTC facultatifs). Le garage la voit « Validée »."""
    return _transition(
        request,
        response,
        code,
        "invoice-validate",
        payload,
        lambda invoice: services.validate_invoice(
            invoice=invoice,
            by=services.CORE_SYSTEM,
            amount_excl_vat=_decimal(payload.amount_excl_vat),
            amount_incl_vat=_decimal(payload.amount_incl_vat),
        ),
    )


@router.post("/invoices/{code}/reject", response=TRANSITION)
def reject_invoice(request, response: HttpResponse, code: Path[InvoiceCode], payload: RejectIn):
    """Refuse une facture reçue ou validée, avec son motif ; le garage est prévenu par e-mail."""
    return _transition(
        request,
        response,
        code,
        "invoice-reject",
        payload,
        lambda invoice: services.reject_invoice(
            invoice=invoice, by=services.CORE_SYSTEM, reason=payload.reason
        ),
    )


@router.post("/invoices/{code}/pay", response=TRANSITION)
def pay_invoice(request, response: HttpResponse, code: Path[InvoiceCode], payload: PayIn):
    """Enregistre le paiement d'une facture validée ; le garage est prévenu par e-mail."""
    return _transition(
        request,
        response,
        code,
        "invoice-pay",
        payload,
        lambda invoice: services.pay_invoice(
            invoice=invoice,
            by=services.CORE_SYSTEM,
            paid_on=payload.paid_on,
            amount=Decimal(payload.amount),
            reference=payload.reference,
        ),
    )
