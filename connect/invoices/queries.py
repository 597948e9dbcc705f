"""What the garage's list of invoices reads: the rows of a state, and totals per state."""

from django.db.models import Aggregate, Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from connect.invoices.models import Invoice, InvoiceState

# The amount a list adds up (Invoice.amount): paid, else TTC, else HT.
AMOUNT = Coalesce("paid_amount", "amount_incl_vat", "amount_excl_vat")
ZERO = Value(0, output_field=DecimalField(max_digits=14, decimal_places=2))


def garage_invoices(garage_ids: list[int]) -> QuerySet[Invoice]:
    return Invoice.objects.filter(dossier__garage_id__in=garage_ids)


def totals_by_state(invoices: QuerySet[Invoice]) -> list[dict]:
    """One aggregate query: each state's count and amount, in the states' order."""
    aggregates: dict[str, Aggregate | Coalesce] = {}
    for state in InvoiceState:
        aggregates[f"{state}_count"] = Count("pk", filter=Q(state=state))
        aggregates[f"{state}_amount"] = Coalesce(Sum(AMOUNT, filter=Q(state=state)), ZERO)
    found = invoices.aggregate(**aggregates)
    return [
        {
            "state": state.value,
            "label": state.label,
            "count": found[f"{state}_count"],
            "amount": found[f"{state}_amount"],
        }
        for state in InvoiceState
    ]
