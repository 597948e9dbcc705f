"""An invoice starts its life when the repairer sends it through messaging."""

from django.urls import reverse

from connect.api.models import Event
from connect.deadlines.sources import WaitKind, open_waits
from connect.invoices.models import Invoice, InvoiceState
from connect.invoices.services import reject_invoice
from connect.invoices.tests.helpers import send_invoice
from connect.messaging.tests.helpers import pdf_file, post_new


def test_sending_the_invoice_subject_creates_a_received_invoice(as_repairer, world):
    response = post_new(as_repairer, world.dossier_a, "facture", files=[pdf_file("F-12.pdf")])
    assert response.status_code == 302
    invoice = Invoice.objects.get(dossier=world.dossier_a)
    assert invoice.state == InvoiceState.RECEIVED
    assert invoice.document.original_name == "F-12.pdf"
    assert [(c.state, c.by) for c in invoice.changes.all()] == [("received", world.repairer)]
    event = Event.objects.get(kind="invoice.received")
    assert event.payload["invoice"]["code"] == str(invoice.code)
    assert event.document_codes == [str(invoice.document.code)]


def test_other_subjects_create_no_invoice(as_repairer, world):
    post_new(as_repairer, world.dossier_a, "divers", body="Bonjour", files=[pdf_file()])
    assert not Invoice.objects.exists()


def test_a_received_invoice_waits_on_the_firm_until_it_is_decided(world):
    invoice = send_invoice(world.dossier_a, world.repairer)
    waits = [w for w in open_waits([world.dossier_a.pk]) if w.key.startswith("invoice:")]
    assert [(w.kind, w.side, w.key, w.since) for w in waits] == [
        (WaitKind.INVOICE_VALIDATION, "firm", f"invoice:{invoice.pk}", invoice.received_at)
    ]
    reject_invoice(invoice=invoice, by=world.advisor, reason="Montant erroné")
    assert not [w for w in open_waits([world.dossier_a.pk]) if w.key.startswith("invoice:")]


def test_an_invoice_sent_again_after_a_rejection_is_a_new_invoice(world):
    first = send_invoice(world.dossier_a, world.repairer)
    reject_invoice(invoice=first, by=world.advisor, reason="TVA absente")
    second = send_invoice(world.dossier_a, world.repairer, name="facture-corrigee.pdf")
    assert second.pk != first.pk
    first.refresh_from_db()
    assert (first.state, first.rejection_reason) == ("rejected", "TVA absente")
    assert second.state == "received"


def test_the_dossier_page_shows_the_invoice_state(as_repairer, world):
    invoice = send_invoice(world.dossier_a, world.repairer)
    reject_invoice(invoice=invoice, by=world.advisor, reason="Il manque le détail des pièces")
    page = as_repairer.get(reverse("dossier_detail", kwargs={"code": world.dossier_a.code}))
    content = page.content.decode()
    assert "Facture transmise le" in content and "Refusée" in content
    assert "Il manque le détail des pièces" in content


def test_a_storage_failure_keeps_no_invoice_nor_file(as_repairer, world, monkeypatch):
    from connect.documents.models import Document
    from connect.testing import fail_storage_save, stored_files

    fail_storage_save(monkeypatch, at=1)
    response = post_new(as_repairer, world.dossier_a, "facture", files=[pdf_file("F-12.pdf")])
    assert response.status_code == 400
    assert "L&#x27;envoi a échoué, rien n&#x27;a été enregistré." in response.content.decode()
    assert not Invoice.objects.exists() and not Document.objects.exists()
    assert stored_files() == [] and not Event.objects.exists()
