"""What the invoices' pages say is French, numbers included (issue 24, item 20)."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from connect.invoices.services import pay_invoice, reject_invoice, validate_invoice
from connect.invoices.tests.helpers import send_invoice
from connect.testing import login_as


def test_the_filtered_list_names_its_state_in_french(client, world):
    reject_invoice(
        invoice=send_invoice(world.dossier_a, world.repairer), by=world.advisor, reason="Doublon"
    )
    login_as(client, world.repairer)
    content = client.get(reverse("invoices:mine"), {"etat": "rejected"}).content.decode()
    assert "(rejected)" not in content
    assert "Factures dans l'état « refusée », la plus récente d'abord" in content


def test_the_payment_in_the_history_is_written_the_french_way(client, world):
    invoice = send_invoice(world.dossier_a, world.repairer)
    validate_invoice(invoice=invoice, by=world.advisor, amount_incl_vat=Decimal("11008.76"))
    pay_invoice(
        invoice=invoice,
        by=world.advisor,
        paid_on=date(2026, 11, 2),
        amount=Decimal("11008.76"),
        reference="VIR-7",
    )
    login_as(client, world.advisor)
    url = reverse("invoices:staff_invoice", kwargs={"invoice_code": invoice.code})
    content = client.get(url).content.decode()
    assert "11008.76" not in content
    assert "— 11\u00a0008,76\u00a0€ le 02/11/2026 · VIR-7" in content
