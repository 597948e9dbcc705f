"""The core system sets invoice states through /api/v1/ and reads them back in the feed."""

import json
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from connect.invoices.models import Invoice
from connect.invoices.tests.helpers import send_invoice
from connect.testing import login_as, run_tasks


@pytest.fixture
def invoice(world):
    sent = send_invoice(world.dossier_a, world.repairer)
    run_tasks()
    mail.outbox.clear()
    return sent


def post(api, invoice_or_code, action, data, **headers):
    code = getattr(invoice_or_code, "code", invoice_or_code)
    return api.post(f"/api/v1/invoices/{code}/{action}", data, headers=headers or None)


def feed_kinds(api):
    events = api.get("/api/v1/events").json()["events"]
    # messaging's "invoice.sent" and the reading's "invoice.read" (test_reading.py) aside
    others = ("invoice.sent", "invoice.read")
    return [e for e in events if e["kind"].startswith("invoice.") and e["kind"] not in others]


def test_the_core_system_lists_a_dossiers_invoices(api, invoice):
    invoice.refresh_from_db()
    response = api.get("/api/v1/dossiers/99677/invoices")
    assert response.status_code == 200
    assert response.json()["invoices"] == [
        {
            "code": str(invoice.code),
            "dossier": "99677",
            "state": "received",
            "received_at": invoice.received_at.isoformat(),
            "document": str(invoice.document.code),
            "amount_excl_vat": None,
            "amount_incl_vat": None,
            "rejection_reason": "",
            "paid_on": None,
            "paid_amount": None,
            "payment_reference": "",
            "reading": invoice.reading,
        }
    ]
    assert api.get(f"/api/v1/invoices/{invoice.code}").json()["state"] == "received"


def test_validate_then_pay_through_the_api(api, world, invoice):
    response = post(
        api, invoice, "validate", {"amount_excl_vat": "1000", "amount_incl_vat": "1200.50"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "validated"
    assert response.json()["amount_incl_vat"] == "1200.50"
    response = post(
        api, invoice, "pay", {"paid_on": "2026-11-30", "amount": "1200.50", "reference": "VIR-778"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["paid_on"], body["paid_amount"], body["payment_reference"]) == (
        "paid",
        "2026-11-30",
        "1200.50",
        "VIR-778",
    )
    invoice.refresh_from_db()
    assert invoice.changes.last().by_core_system and invoice.changes.last().by is None
    events = feed_kinds(api)
    assert [e["kind"] for e in events] == ["invoice.received", "invoice.validated", "invoice.paid"]
    assert events[0]["documents"][0]["code"] == str(invoice.document.code)
    assert events[2]["payload"]["invoice"]["payment_reference"] == "VIR-778"
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == [world.colleague.email, world.repairer.email]


def test_a_payment_of_nothing_is_refused_and_the_invoice_stays_validated(api, invoice):
    post(api, invoice, "validate", {"amount_excl_vat": "1000", "amount_incl_vat": "1200.50"})
    for zero in ("0", "0.00", "0.0"):
        data = {"paid_on": "2026-11-30", "amount": zero, "reference": "VIR-778"}
        response = post(api, invoice, "pay", data)
        assert response.status_code == 422, response.content
        assert "supérieur à 0,00 €" in json.dumps(response.json(), ensure_ascii=False)
    invoice.refresh_from_db()
    assert invoice.state == "validated" and invoice.paid_amount is None


def test_reject_through_the_api_shows_the_reason_to_the_garage(api, client, world, invoice):
    response = post(api, invoice, "reject", {"reason": "Facture non conforme au rapport"})
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    run_tasks()
    assert {m.subject for m in mail.outbox} == {"Facture refusée · dossier 99677"}
    login_as(client, world.repairer)
    page = client.get(reverse("dossier_detail", kwargs={"code": world.dossier_a.code}))
    assert "Facture non conforme au rapport" in page.content.decode()


def test_an_impossible_transition_is_a_409_in_french(api, invoice):
    response = post(api, invoice, "pay", {"paid_on": "2026-11-30", "amount": "1", "reference": "V"})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["message"]["fr"] == (
        "Cette facture est reçue : elle ne peut pas être payée."
    )
    post(api, invoice, "reject", {"reason": "Doublon"})
    assert post(api, invoice, "validate", {}).status_code == 409
    assert Invoice.objects.get(pk=invoice.pk).state == "rejected"


def test_unknown_invoice_or_dossier_is_a_404(api, invoice):
    for code in (uuid.uuid4(), "pas-un-code"):
        response = post(api, code, "validate", {})
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert response.json()["message"]["fr"] == "Facture introuvable."
    assert api.get(f"/api/v1/invoices/{uuid.uuid4()}").status_code == 404
    assert api.get("/api/v1/dossiers/00000/invoices").status_code == 404


@pytest.mark.parametrize(
    "action, data, field",
    [
        ("validate", {"amount_excl_vat": "12,50"}, "amount_excl_vat"),
        ("validate", {"state": "paid"}, "state"),
        ("reject", {}, "reason"),
        ("reject", {"reason": "   "}, "reason"),
        ("pay", {"paid_on": "2026-11-30", "amount": "10"}, "reference"),
        ("pay", {"paid_on": "hier", "amount": "10", "reference": "V"}, "paid_on"),
    ],
)
def test_strict_inputs_are_a_422_naming_the_field(api, invoice, action, data, field):
    response = post(api, invoice, action, data)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert Invoice.objects.get(pk=invoice.pk).state == "received"


def test_a_replayed_transition_answers_the_same_and_changes_once(api, invoice):
    first = post(api, invoice, "validate", {}, **{"Idempotency-Key": "k-1"})
    again = post(api, invoice, "validate", {}, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert invoice.changes.count() == 2
