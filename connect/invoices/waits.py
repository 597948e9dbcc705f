"""The clock's sources for invoices (connect/deadlines/sources.py):

- INVOICE_AWAITED (garage): the core system flags the dossier "en attente facture" and no
  invoice stands (received, validated or paid: the garage has sent it; a rejected one is no
  invoice). Since the core system's last change of the dossier at the latest (the flag's own
  date is not sent; an open wait keeps its first start, deadlines/services.py).
- INVOICE_VALIDATION (firm): an invoice received and not yet validated.
"""

from collections.abc import Collection, Iterator

from django.db.models import Exists, OuterRef

from connect.deadlines.sources import Wait, WaitKind, source
from connect.dossiers.models import Dossier
from connect.invoices.models import Invoice, InvoiceState
from connect.lib.ids import any_of


@source
def invoice_awaited(dossier_ids: Collection[int]) -> list[Wait]:
    standing = Invoice.objects.filter(dossier_id=OuterRef("pk")).exclude(
        state=InvoiceState.REJECTED
    )
    rows = (
        Dossier.objects.filter(pk__in=any_of(dossier_ids), awaiting_invoice=True)
        .exclude(Exists(standing))
        .values_list("pk", "updated_at")
    )
    return [
        Wait(pk, WaitKind.INVOICE_AWAITED, since, key="dossier:invoice", label="Facture attendue")
        for pk, since in rows
    ]


@source
def invoices_awaiting_validation(dossier_ids: Collection[int]) -> Iterator[Wait]:
    rows = Invoice.objects.awaiting_validation().filter(dossier_id__in=any_of(dossier_ids))
    for pk, dossier_id, received_at in rows.values_list("pk", "dossier_id", "received_at"):
        yield Wait(
            dossier_id=dossier_id,
            kind=WaitKind.INVOICE_VALIDATION,
            since=received_at,
            key=f"invoice:{pk}",
            label="Facture définitive des réparations",
        )
