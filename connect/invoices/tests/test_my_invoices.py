"""The "Mes factures" page: the garage's invoices, totals per state, filter, pages; nobody
else's."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from connect.accounts.models import Membership
from connect.invoices.models import Invoice, InvoiceState
from connect.invoices.services import pay_invoice, reject_invoice, validate_invoice
from connect.invoices.tests.helpers import send_invoice
from connect.testing import login_as

URL = reverse("invoices:mine")


def _invoices(world):
    """Garage A: one received, one validated 1 200 € TTC, one paid 800 €, one rejected;
    garage B: one received (never shown to garage A)."""
    d = world.dossier
    received = send_invoice(d("A-1", world.garage_a), world.repairer)
    validated = send_invoice(d("A-2", world.garage_a), world.repairer)
    validate_invoice(
        invoice=validated,
        by=world.advisor,
        amount_excl_vat=Decimal("1000"),
        amount_incl_vat=Decimal("1200"),
    )
    paid = send_invoice(d("A-3", world.garage_a), world.repairer)
    validate_invoice(invoice=paid, by=world.advisor, amount_incl_vat=Decimal("790"))
    pay_invoice(
        invoice=paid, by=None, paid_on=date(2026, 11, 2), amount=Decimal("800"), reference="VIR-1"
    )
    rejected = send_invoice(d("A-4", world.garage_a), world.repairer)
    reject_invoice(invoice=rejected, by=world.advisor, reason="Doublon")
    other = send_invoice(d("B-1", world.garage_b), world.other_repairer)
    return received, validated, paid, rejected, other


def test_the_nav_leads_to_the_list_with_totals_per_state(as_repairer, world):
    _invoices(world)
    home = as_repairer.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in home and "Mes factures" in home
    response = as_repairer.get(URL)
    assert response.status_code == 200
    totals = {t["state"]: (t["count"], t["amount"]) for t in response.context["totals"]}
    assert totals == {
        "received": (1, Decimal("0")),
        "validated": (1, Decimal("1200")),
        "rejected": (1, Decimal("0")),
        "paid": (1, Decimal("800")),
    }
    content = response.content.decode()
    assert "A-1" in content and "A-4" in content and "B-1" not in content
    assert "1 200,00 €" in content and "VIR-1" in content and "Motif : Doublon" in content


def test_a_filter_by_state_keeps_only_that_state(as_repairer, world):
    _invoices(world)
    content = as_repairer.get(URL, {"etat": "paid"}).content.decode()
    assert "A-3" in content and "A-1" not in content and "A-2" not in content
    # an unknown state shows everything rather than failing
    assert "A-1" in as_repairer.get(URL, {"etat": "n'importe quoi"}).content.decode()


def test_the_list_is_paginated_in_a_constant_number_of_queries(
    as_repairer, world, django_assert_max_num_queries
):
    for n in range(30):
        dossier = world.dossier(f"P-{n:02}", world.garage_a)
        Invoice.objects.create(dossier=dossier, state=InvoiceState.RECEIVED)
    as_repairer.get(URL)  # session, sites… warmed
    with django_assert_max_num_queries(9):
        first = as_repairer.get(URL)
    assert len(first.context["page"].object_list) == 25
    assert "Page 1 sur 2" in first.content.decode()
    second = as_repairer.get(URL, {"page": 2, "etat": "received"})
    assert len(second.context["page"].object_list) == 5
    assert "etat=received&amp;page=1" in second.content.decode()


def test_a_multi_site_repairer_sees_every_garage_with_its_name(client, world):
    Membership.objects.create(user=world.repairer, garage=world.garage_b)
    _invoices(world)
    content = login_as(client, world.repairer).get(URL).content.decode()
    assert "B-1" in content and "Garage B" in content


def test_staff_do_not_get_the_repairers_list(client, world):
    assert login_as(client, world.expert).get(URL).status_code == 404
