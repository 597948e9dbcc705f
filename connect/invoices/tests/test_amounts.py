"""The firm types invoice amounts the French way, and an amount far from the dossier's agreed
total is confirmed before it is recorded (issue 24, item 18: "11 008,76" became 1 100 876 €)."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from connect.invoices.tests.helpers import send_invoice
from connect.testing import login_as, run_tasks


@pytest.fixture
def invoice(world):
    world.dossier_a.repair_amount = Decimal("11008.76")
    world.dossier_a.save(update_fields=["repair_amount"])
    sent = send_invoice(world.dossier_a, world.repairer)
    run_tasks()
    mail.outbox.clear()
    return sent


def url(name, invoice):
    return reverse(f"invoices:{name}", kwargs={"invoice_code": invoice.code})


def test_the_amount_fields_are_text_inputs_with_the_decimal_keypad(client, world, invoice):
    login_as(client, world.advisor)
    content = client.get(url("staff_invoice", invoice)).content.decode()
    assert 'type="number"' not in content
    assert content.count('inputmode="decimal"') == 2  # HT and TTC (payment comes later)
    assert "Je confirme ce montant" not in content  # asked only when the amount is far


def test_a_french_amount_is_read_as_typed(client, world, invoice):
    login_as(client, world.advisor)
    typed = {"amount_excl_vat": "11 008,76", "amount_incl_vat": "13\u202f210,51 €"}
    response = client.post(url("validate", invoice), typed)
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.state, invoice.amount_excl_vat) == ("validated", Decimal("11008.76"))
    assert invoice.amount_incl_vat == Decimal("13210.51")


def test_an_ambiguous_amount_is_refused_and_nothing_is_recorded(client, world, invoice):
    login_as(client, world.advisor)
    response = client.post(url("validate", invoice), {"amount_excl_vat": "11.008"})
    assert response.status_code == 400
    assert "est ambigu : écrivez 11 008 pour des milliers" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.state == "received" and invoice.amount_excl_vat is None


def test_an_amount_far_from_the_agreed_total_asks_for_confirmation(client, world, invoice):
    login_as(client, world.advisor)
    response = client.post(url("validate", invoice), {"amount_excl_vat": "1100876"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "écarte de +1\u00a0089\u00a0867,24\u00a0€ du montant convenu" in content
    assert "(11\u00a0008,76\u00a0€ HT)" in content and "Je confirme ce montant" in content
    invoice.refresh_from_db()
    assert invoice.state == "received" and invoice.amount_excl_vat is None

    confirmed = {"amount_excl_vat": "1100876", "confirm_amount": "on"}
    assert client.post(url("validate", invoice), confirmed).status_code == 302
    invoice.refresh_from_db()
    assert (invoice.state, invoice.amount_excl_vat) == ("validated", Decimal("1100876"))


def test_a_ttc_amount_alone_is_compared_with_vat(client, world, invoice):
    login_as(client, world.advisor)
    response = client.post(url("validate", invoice), {"amount_incl_vat": "13 210,51"})
    assert response.status_code == 302  # 11 008,76 × 1,20: as agreed


def test_a_zero_payment_is_refused_and_the_invoice_stays_validated(client, world, invoice):
    from django.utils import timezone

    login_as(client, world.advisor)
    client.post(url("validate", invoice), {"amount_excl_vat": "11 008,76"})
    paid = {"paid_on": timezone.localdate().isoformat(), "amount": "0,00", "reference": "VIR-1"}
    response = client.post(url("pay", invoice), paid)
    assert response.status_code == 400
    assert "Le montant doit être supérieur à 0,00\u00a0€." in response.content.decode()
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_amount) == ("validated", None)
