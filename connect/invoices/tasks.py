import logging

from django.db import transaction
from django_tasks import task

from connect.api.events import record_event
from connect.documents.models import Document
from connect.documents.seal import seal_document
from connect.invoices.models import Invoice
from connect.invoices.reading import InvoiceReading, read_invoice, verdict_of
from connect.jobs.queue import TimeLimitExceeded, Transient
from connect.supplements.services import agreed_total

logger = logging.getLogger(__name__)


@task()
def read_invoice_document(invoice_id: int) -> None:
    """Read the invoice's PDF (reading.py), keep the reading on the invoice and among the
    document's readings, and seal the document again so that its seal covers the reading.
    Idempotent: a retried job reads again and writes the same."""
    invoice = (
        Invoice.objects.select_related("document__dossier", "dossier__garage")
        .filter(pk=invoice_id)
        .first()
    )
    if invoice is None or invoice.document is None:
        return
    document = invoice.document
    if not document.is_pdf:
        reading = InvoiceReading(
            problem="Facture photographiée : elle n'est pas lue automatiquement (à lire à l'œil)."
        )
    else:
        try:
            with document.file.open("rb") as handle:
                data = handle.read()
        except TimeLimitExceeded:
            raise
        except OSError as error:
            raise Transient(f"storage: {error}") from error
        reading = read_invoice(data)
    facts = reading.as_dict()
    with transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(reading=facts)
        row = Document.objects.select_for_update().select_related("dossier").get(pk=document.pk)
        row.readings = [r for r in row.readings or [] if r.get("kind") != "invoice"] + [facts]
        Document.objects.filter(pk=row.pk).update(readings=row.readings)
        seal_document(row)
        invoice.reading = facts
        _record_reading(invoice)


def _record_reading(invoice: Invoice) -> None:
    """`invoice.read` for the core system: the facts and the checks as the expert sees them."""
    from connect.invoices.services import invoice_payload  # services enqueues this task

    verdict = verdict_of(invoice, agreed=agreed_total(invoice.dossier))
    record_event(
        "invoice.read",
        payload={
            "invoice": invoice_payload(invoice),
            "checks": [{"ok": c.ok, "text": c.text} for c in verdict.checks] if verdict else [],
        },
        dossier=invoice.dossier,
    )
