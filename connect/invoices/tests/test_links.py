"""From an invoice's thread to its decision, and from "Mes factures" to each PDF; a total
never claims 0,00 € for invoices nobody gave an amount (issue 24, item 21)."""

from decimal import Decimal

from django.urls import reverse

from connect.invoices.services import validate_invoice
from connect.invoices.tests.helpers import send_invoice
from connect.messaging.models import Thread
from connect.testing import login_as


def test_the_advisors_invoice_thread_links_to_the_decision_page(client, world):
    invoice = send_invoice(world.dossier_a, world.repairer)
    thread = Thread.objects.get(dossier=world.dossier_a, subject="facture")
    login_as(client, world.advisor)
    content = client.get(reverse("staff:thread", kwargs={"staff_thread_code": thread.code}))
    decision = reverse("invoices:staff_invoice", kwargs={"invoice_code": invoice.code})
    assert f'href="{decision}"' in content.content.decode()
    assert "Décider de la facture du" in content.content.decode()


def test_a_total_without_any_stated_amount_says_so_rather_than_zero(client, world):
    send_invoice(world.dossier_a, world.repairer)
    login_as(client, world.repairer)
    content = client.get(reverse("invoices:mine")).content.decode()
    received = content.split("invoice-total--received", 1)[1].split("</li>", 1)[0]
    assert "montant non déclaré" in received and "0,00 €" not in received


def test_a_total_counts_the_invoices_without_amount_apart(client, world):
    validate_invoice(
        invoice=send_invoice(world.dossier_a, world.repairer),
        by=world.advisor,
        amount_incl_vat=Decimal("1200"),
    )
    validate_invoice(
        invoice=send_invoice(world.dossier("A-2", world.garage_a), world.repairer), by=world.advisor
    )
    login_as(client, world.repairer)
    content = client.get(reverse("invoices:mine")).content.decode()
    validated = content.split("invoice-total--validated", 1)[1].split("</li>", 1)[0]
    assert "1 200,00 €" in validated and "(+ 1 sans montant)" in validated


def test_each_invoice_links_to_its_pdf(client, world):
    invoice = send_invoice(world.dossier_a, world.repairer)
    login_as(client, world.repairer)
    content = client.get(reverse("invoices:mine")).content.decode()
    pdf = reverse("document_file", args=[world.dossier_a.code, invoice.document.code])
    assert f'href="{pdf}"' in content
    assert client.get(pdf).status_code == 200
