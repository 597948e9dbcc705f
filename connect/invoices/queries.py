"""What the garage's list of invoices reads: the rows of a state, and totals per state."""

from django.db.models import Aggregate, Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from connect.invoices.models import Invoice, InvoiceState

# The amount a list adds up (Invoice.amount): paid, else TTC, else HT.
AMOUNT = Coalesce("paid_amount", "amount_incl_vat", "amount_excl_vat")
UNSTATED = Q(paid_amount=None, amount_incl_vat=None, amount_excl_vat=None)
ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def garage_invoices(garage_ids: list[int]) -> QuerySet[Invoice]:
    return Invoice.objects.filter(dossier__garage_id__in=garage_ids)


def sent_as(documents: QuerySet) -> QuerySet[Invoice]:
    """The invoices whose document is one of `documents` (a thread's attachments), newest
    first."""
    return Invoice.objects.filter(document__in=documents).order_by("-received_at", "-id")


def totals_by_state(invoices: QuerySet[Invoice]) -> list[dict]:
    """One aggregate query: each state's count, amount and how many have no amount, in the
    states' order."""
    # Keys start with what they count: "paid_amount" would shadow the field of that name.
    aggregates: dict[str, Aggregate | Coalesce] = {}
    for state in InvoiceState:
        aggregates[f"count_{state}"] = Count("pk", filter=Q(state=state))
        aggregates[f"amount_{state}"] = Coalesce(Sum(AMOUNT, filter=Q(state=state)), ZERO)
        aggregates[f"unstated_{state}"] = Count("pk", filter=Q(state=state) & UNSTATED)
    found = invoices.aggregate(**aggregates)
    return [
        {
            "state": state.value,
            "label": state.label,
            "count": found[f"count_{state}"],
            "amount": found[f"amount_{state}"],
            # Invoices nobody gave an amount yet (the garage sends a PDF, never a figure).
            "unstated": found[f"unstated_{state}"],
        }
        for state in InvoiceState
    ]
