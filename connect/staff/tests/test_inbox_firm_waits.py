"""The staff inbox "par échéance" reaches every wait on the firm (issue 24, item 7): invoices to
validate, complements to check and supplements to decide come beside the threads, soonest due
first, each linked to where the firm acts on it, for the role that acts on it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from connect.checklists.services import ItemSpec, answer_item, create_request, mark_received
from connect.deadlines.models import WaitPeriod
from connect.invoices.services import validate_invoice
from connect.invoices.tests.helpers import send_invoice
from connect.messaging.services import open_thread
from connect.supplements.services import SupplementDraft, decide_supplement
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def firm_waits(client, user, **params):
    response = login_as(client, user).get(reverse("staff:inbox"), params)
    assert response.status_code == 200
    return response, [(w.kind, w.reference, w.url) for w in response.context["firm_waits"]]


def test_every_firm_wait_is_reachable_from_the_inbox_by_due_date(client, world):
    a, b = world.dossier_a, world.dossier_b
    invoice = send_invoice(a, world.repairer)
    request = create_request(dossier=b, by=world.expert, items=[ItemSpec(label="Photo")])
    answer_item(item=request.items.get(), by=world.other_repairer, note="Voici")
    open_thread(
        dossier=a,
        subject_key="methodologie",
        author=world.repairer,
        body="Longeron touché",
        supplement=SupplementDraft(amount=Decimal("820.50")),
    )
    # The complement check is overdue: it comes first, marked late.
    WaitPeriod.objects.filter(kind="complement_check").update(
        due_at=timezone.now() - timedelta(hours=2)
    )

    response, expert = firm_waits(client, world.expert)
    assert expert == [
        (
            "Vérification des compléments",
            b.reference,
            reverse("checklists:staff_checklist", kwargs={"code": b.code}),
        ),
        (
            "Décision sur un supplément",
            a.reference,
            reverse("supplements:staff_supplements", kwargs={"code": a.code}),
        ),
    ]
    assert "En retard" in response.content.decode()
    _, advisor = firm_waits(client, world.advisor)
    assert advisor == [
        (
            "Validation de la facture",
            a.reference,
            reverse("invoices:staff_invoice", kwargs={"invoice_code": invoice.code}),
        ),
    ]
    _, manager = firm_waits(client, world.manager)
    assert len(manager) == 3
    assert [w[1] for w in firm_waits(client, world.manager, garage=world.garage_b.pk)[1]] == [
        b.reference
    ]
    # Sorted by due date: the invoice (5 days) after the supplement (2 days).
    assert [w[0] for w in manager][1:] == ["Décision sur un supplément", "Validation de la facture"]
    # Not in the unread-first order, and gone once decided.
    assert firm_waits(client, world.expert, tri="recent")[1] == []
    validate_invoice(invoice=invoice, by=world.advisor)
    mark_received(item=request.items.get(), by=world.expert)
    decide_supplement(supplement=a.supplements.get(), by=world.expert, outcome="accepted")
    assert firm_waits(client, world.manager)[1] == []
