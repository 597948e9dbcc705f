"""Invoices in tests arrive as in production: the repairer sends the subject "Facture
définitive des réparations" with a PDF through messaging."""

from connect.invoices.models import Invoice
from connect.messaging.services import Attachment, open_thread


def minimal_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def send_invoice(dossier, repairer, name="facture.pdf") -> Invoice:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from connect.documents.models import DocumentType

    upload = SimpleUploadedFile(name, minimal_pdf(), content_type="application/pdf")
    open_thread(
        dossier=dossier,
        subject_key="facture",
        author=repairer,
        attachments=[Attachment(upload, DocumentType.REPAIR_INVOICE)],
    )
    return Invoice.objects.filter(dossier=dossier).latest("received_at", "id")
