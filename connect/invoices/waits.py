"""The clock's source for invoices: received and not yet validated waits on the firm."""

from collections.abc import Collection, Iterator

from connect.deadlines.sources import Wait, WaitKind, source
from connect.invoices.models import Invoice


@source
def invoices_awaiting_validation(dossier_ids: Collection[int]) -> Iterator[Wait]:
    rows = Invoice.objects.awaiting_validation().filter(dossier_id__in=dossier_ids)
    for pk, dossier_id, received_at in rows.values_list("pk", "dossier_id", "received_at"):
        yield Wait(
            dossier_id=dossier_id,
            kind=WaitKind.INVOICE_VALIDATION,
            since=received_at,
            key=f"invoice:{pk}",
            label="Facture définitive des réparations",
        )
