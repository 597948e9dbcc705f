"""The waits that the dossier's own flags say, as the core system sets them.

- `awaiting_invoice` → INVOICE_AWAITED (on the garage), since the core system's last change of
  the dossier at the latest (the flag's own date is not sent; an open wait keeps its first
  start, services.py). The invoice's own states (received, validated) belong to invoices.
"""

from collections.abc import Collection

from connect.deadlines.sources import Wait, WaitKind, source
from connect.dossiers.models import Dossier


@source
def invoice_awaited(dossier_ids: Collection[int]) -> list[Wait]:
    rows = Dossier.objects.filter(pk__in=dossier_ids, awaiting_invoice=True).values_list(
        "pk", "updated_at"
    )
    return [
        Wait(pk, WaitKind.INVOICE_AWAITED, since, key="dossier:invoice", label="Facture attendue")
        for pk, since in rows
    ]
