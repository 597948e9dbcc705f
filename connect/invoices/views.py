"""The garage's invoices ("Mes factures") and the firm's decisions on one invoice."""

from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.models import Garage
from connect.accounts.policies import methods, repairer_only, staff_only
from connect.invoices import queries, services
from connect.invoices.access import access_invoice
from connect.invoices.forms import InvoiceFilterForm, PayForm, RejectForm, ValidateForm
from connect.invoices.models import InvoiceState
from connect.invoices.reading import verdict_of
from connect.supplements.services import agreed_total

PAGE_SIZE = 25


@repairer_only
@methods("GET")
def my_invoices(request: AuthenticatedHttpRequest) -> HttpResponse:
    garages = list(Garage.objects.visible_to(request.user).order_by("name"))
    invoices = queries.garage_invoices([garage.pk for garage in garages])
    totals = queries.totals_by_state(invoices)
    form = InvoiceFilterForm(request.GET)
    state = form.cleaned_data["etat"] if form.is_valid() else ""
    if state:
        invoices = invoices.filter(state=state)
    rows = invoices.select_related("dossier__garage", "document").order_by("-received_at", "-id")
    paginator = Paginator(rows, PAGE_SIZE)
    paginator.count = sum(t["count"] for t in totals if not state or t["state"] == state)
    page = paginator.get_page(request.GET.get("page"))
    _attach_verdicts(list(page.object_list))
    context = {
        "page": page,
        "totals": totals,
        "form": form,
        "state": state,
        "state_label": InvoiceState(state).label if state else "",
        "query": f"etat={state}&" if state else "",
        "several_garages": len(garages) > 1,
    }
    return render(request, "invoices/my_invoices.html", context)


def _attach_verdicts(invoices) -> None:
    """Each read invoice's verdict (`invoice.verdict`), its dossier's supplements fetched in two
    queries for the whole page."""
    read = [invoice for invoice in invoices if invoice.reading is not None]
    if read:
        prefetch_related_objects([i.dossier for i in read], "supplements__decisions")
    for invoice in invoices:
        invoice.verdict = None
        if invoice.reading is not None:
            agreed = agreed_total(invoice.dossier, invoice.dossier.supplements.all())
            invoice.verdict = verdict_of(invoice, agreed=agreed)


@staff_only
@methods("GET")
def staff_invoice(request: AuthenticatedHttpRequest, invoice_code: UUID) -> HttpResponse:
    return _render_staff_invoice(request, access_invoice(request.user, invoice_code))


def _render_staff_invoice(
    request: AuthenticatedHttpRequest, invoice, *, forms=None, status=200
) -> HttpResponse:
    forms = forms or {}
    agreed = agreed_total(invoice.dossier)
    context = {
        "invoice": invoice,
        "verdict": verdict_of(invoice, agreed=agreed),
        "dossier": invoice.dossier,
        "changes": invoice.changes.select_related("by"),
        "validate_form": forms.get("validate")
        or ValidateForm(
            initial=_amounts(invoice),
            agreed=agreed,
        ),
        "reject_form": forms.get("reject") or RejectForm(),
        "pay_form": forms.get("pay") or PayForm(initial={"amount": invoice.amount}),
        "can_validate": invoice.can_become(InvoiceState.VALIDATED),
        "can_reject": invoice.can_become(InvoiceState.REJECTED),
        "can_pay": invoice.can_become(InvoiceState.PAID),
    }
    return render(request, "invoices/staff_invoice.html", context, status=status)


def _amounts(invoice) -> dict:
    """The validation form's amounts: the invoice's own, else what was read in its PDF (the
    expert checks them before validating)."""
    read = invoice.reading or {}

    def amount(stored, key):
        if stored is not None:
            return stored
        try:
            return Decimal(read[key]) if read.get(key) else None
        except InvalidOperation:
            return None

    return {
        "amount_excl_vat": amount(invoice.amount_excl_vat, "total_excl_vat"),
        "amount_incl_vat": amount(invoice.amount_incl_vat, "total_incl_vat"),
    }


def _decide(request: AuthenticatedHttpRequest, invoice_code, name, form_class, act, done: str):
    invoice = access_invoice(request.user, invoice_code)
    # The validated amount is checked against the dossier's agreed total (a confirmation).
    extra = {"agreed": agreed_total(invoice.dossier)} if form_class is ValidateForm else {}
    form = form_class(request.POST, **extra)
    if not form.is_valid():
        return _render_staff_invoice(request, invoice, forms={name: form}, status=400)
    try:
        act(invoice, form.cleaned_data)
    except services.TransitionRefused as refused:
        flash.error(request, str(refused))
        return redirect("invoices:staff_invoice", invoice_code=invoice.code)
    flash.success(request, done)
    return redirect("invoices:staff_invoice", invoice_code=invoice.code)


@staff_only
@methods("POST")
def validate(request: AuthenticatedHttpRequest, invoice_code: UUID) -> HttpResponse:
    def act(invoice, data):
        services.validate_invoice(
            invoice=invoice,
            by=request.user,
            amount_excl_vat=data["amount_excl_vat"],
            amount_incl_vat=data["amount_incl_vat"],
        )

    return _decide(request, invoice_code, "validate", ValidateForm, act, "Facture validée.")


@staff_only
@methods("POST")
def reject(request: AuthenticatedHttpRequest, invoice_code: UUID) -> HttpResponse:
    def act(invoice, data):
        services.reject_invoice(invoice=invoice, by=request.user, reason=data["reason"])

    done = "Facture refusée : le garage est prévenu par e-mail."
    return _decide(request, invoice_code, "reject", RejectForm, act, done)


@staff_only
@methods("POST")
def pay(request: AuthenticatedHttpRequest, invoice_code: UUID) -> HttpResponse:
    def act(invoice, data):
        services.pay_invoice(invoice=invoice, by=request.user, **data)

    done = "Paiement enregistré : le garage est prévenu par e-mail."
    return _decide(request, invoice_code, "pay", PayForm, act, done)
