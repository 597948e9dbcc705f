"""The firm sets an invoice's states from its workspace; another unit's invoice is a 404."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from connect.api.models import Event
from connect.invoices.models import InvoiceState
from connect.invoices.tests.helpers import send_invoice
from connect.testing import login_as, run_tasks


@pytest.fixture
def invoice(world):
    sent = send_invoice(world.dossier_a, world.repairer)
    run_tasks()  # the advisor's "new message" e-mail: not what these tests look at
    mail.outbox.clear()
    return sent


def url(name, invoice):
    return reverse(f"invoices:{name}", kwargs={"invoice_code": invoice.code})


def test_the_staff_dossier_page_links_the_invoice(client, world, invoice):
    login_as(client, world.advisor)
    page = client.get(reverse("staff:dossier_documents", kwargs={"code": world.dossier_a.code}))
    assert url("staff_invoice", invoice) in page.content.decode()
    content = client.get(url("staff_invoice", invoice)).content.decode()
    assert "Valider la facture" in content and "Refuser la facture" in content
    assert "Enregistrer le paiement" not in content  # not before it is validated


def test_staff_validate_then_pay_and_the_garage_is_told_once(client, world, invoice):
    login_as(client, world.advisor)
    response = client.post(
        url("validate", invoice), {"amount_excl_vat": "1000.00", "amount_incl_vat": "1200.00"}
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.state, str(invoice.amount_incl_vat)) == ("validated", "1200.00")
    run_tasks()
    assert mail.outbox == []  # validation is no e-mail
    today = timezone.localdate()
    response = client.post(
        url("pay", invoice),
        {"paid_on": today.isoformat(), "amount": "1200.00", "reference": "VIR-2026-0042"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.state, invoice.paid_on, invoice.payment_reference) == (
        "paid",
        today,
        "VIR-2026-0042",
    )
    assert [c.state for c in invoice.changes.all()] == ["received", "validated", "paid"]
    assert invoice.changes.last().by == world.advisor
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == [world.colleague.email, world.repairer.email]
    assert all(m.subject == "Facture payée · dossier 99677" for m in mail.outbox)
    # messaging's "invoice.sent" (the message) comes first; the invoice's own life follows
    events = Event.objects.filter(kind__startswith="invoice.").order_by("id")
    others = ("invoice.sent", "invoice.read")  # the reading's own event: test_reading.py
    kinds = list(events.exclude(kind__in=others).values_list("kind", flat=True))
    assert kinds == ["invoice.received", "invoice.validated", "invoice.paid"]


def test_staff_reject_with_a_reason_mails_the_garage(client, world, invoice):
    login_as(client, world.expert)
    client.post(url("reject", invoice), {"reason": "Le montant ne correspond pas au rapport"})
    invoice.refresh_from_db()
    assert invoice.state == "rejected"
    assert invoice.rejection_reason == "Le montant ne correspond pas au rapport"
    run_tasks()
    assert len(mail.outbox) == 2 and mail.outbox[0].subject == "Facture refusée · dossier 99677"
    assert reverse("dossier_detail", kwargs={"code": world.dossier_a.code}) in mail.outbox[0].body


def test_a_reason_is_required_and_nothing_changes_without_it(client, world, invoice):
    login_as(client, world.advisor)
    response = client.post(url("reject", invoice), {"reason": " "})
    assert response.status_code == 400 and "Ce champ est obligatoire" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.RECEIVED


def test_an_impossible_transition_is_refused_with_a_message(client, world, invoice):
    login_as(client, world.advisor)
    today = timezone.localdate().isoformat()
    response = client.post(
        url("pay", invoice), {"paid_on": today, "amount": "10", "reference": "X"}, follow=True
    )
    assert "Cette facture est reçue : elle ne peut pas être payée." in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.state == "received" and invoice.changes.count() == 1


@pytest.mark.parametrize("name", ["staff_invoice", "validate", "reject", "pay"])
def test_another_units_staff_and_repairers_get_a_404(client, world, invoice, name):
    for user in (world.other_expert, world.repairer):
        login_as(client, user)
        response = (
            client.get(url(name, invoice))
            if name == "staff_invoice"
            else client.post(url(name, invoice), {"reason": "x", "amount_excl_vat": "1"})
        )
        assert response.status_code == 404
    invoice.refresh_from_db()
    assert invoice.state == "received"


def test_staff_on_the_dossier_page_see_the_state_but_no_repairers_link(client, world, invoice):
    login_as(client, world.advisor)
    page = client.get(reverse("dossier_detail", kwargs={"code": world.dossier_a.code}))
    content = page.content.decode()
    assert "Facture transmise le" in content and "en attente de validation" in content
    assert f'href="{reverse("invoices:mine")}"' not in content
