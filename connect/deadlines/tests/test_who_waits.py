"""Who waits on whom (issue 24, items 1–8): each side's wait starts when the ball reaches that
side, and a fact that ends a wait ends it whoever wrote it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from connect.checklists.services import ItemSpec, answer_item, create_request
from connect.deadlines.clock import due_at
from connect.deadlines.digest import overdue_waits
from connect.deadlines.models import ServiceLevel, WaitPeriod
from connect.deadlines.sources import WaitKind
from connect.dossiers.models import Ball
from connect.dossiers.touch import touch_dossiers

pytestmark = pytest.mark.django_db


def four_days_old_request(world, dossier):
    request = create_request(
        dossier=dossier, by=world.expert, items=[ItemSpec(label="Photo ¾ avant droit")]
    )
    request.__class__.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=4)
    )
    touch_dossiers([dossier.pk])
    return request


def test_the_firms_check_starts_at_the_garages_answer_not_at_the_request(world):
    dossier = world.dossier_a
    request = four_days_old_request(world, dossier)
    asked_at = request.__class__.objects.get(pk=request.pk).created_at
    item = request.items.get()

    item = answer_item(item=item, by=world.repairer, note="Photo envoyée par courrier")

    dossier.refresh_from_db()
    assert (dossier.ball, dossier.wait_kind) == (Ball.FIRM, WaitKind.COMPLEMENT_CHECK)
    assert dossier.waiting_since == item.answered_at
    level = ServiceLevel.objects.get(kind=WaitKind.COMPLEMENT_CHECK, subject="")
    assert dossier.due_at == due_at(item.answered_at, level, world.unit1)
    assert dossier.due_at > timezone.now()  # not "en retard" at once
    # The history shows both periods: the garage's, ended by its answer, then the firm's.
    periods = list(WaitPeriod.objects.filter(dossier=dossier).order_by("since"))
    assert [(p.side, p.since, p.ended_at is None) for p in periods] == [
        (Ball.GARAGE, asked_at, False),
        (Ball.FIRM, item.answered_at, True),
    ]
    # The manager's overdue digest does not report it.
    assert not overdue_waits(world.unit1.pk).filter(dossier=dossier).exists()


def test_an_invoice_received_validated_or_paid_ends_facture_attendue(world):
    from datetime import date
    from decimal import Decimal

    from connect.invoices.services import pay_invoice, reject_invoice, validate_invoice
    from connect.invoices.tests.helpers import send_invoice

    dossier = world.dossier_a
    # The core system keeps its flag "en attente facture" until it reads the payment.
    dossier.__class__.objects.filter(pk=dossier.pk).update(awaiting_invoice=True)
    touch_dossiers([dossier.pk])

    def garage_waits():
        return set(
            WaitPeriod.objects.filter(dossier=dossier, ended_at__isnull=True).values_list(
                "side", "kind"
            )
        )

    assert garage_waits() == {(Ball.GARAGE, WaitKind.INVOICE_AWAITED)}
    invoice = send_invoice(dossier, world.repairer)
    assert garage_waits() == {(Ball.FIRM, WaitKind.INVOICE_VALIDATION)}
    validate_invoice(invoice=invoice, by=world.advisor, amount_incl_vat=Decimal("1200.00"))
    assert garage_waits() == set()
    pay_invoice(
        invoice=invoice,
        by=world.advisor,
        paid_on=date(2026, 12, 1),
        amount=Decimal("1200.00"),
        reference="VIR-1",
    )
    assert garage_waits() == set()
    dossier.refresh_from_db()
    assert dossier.ball == ""

    # A rejected invoice is no invoice: the next one is awaited again.
    second = send_invoice(dossier, world.repairer, name="facture-2.pdf")
    reject_invoice(invoice=second, by=world.advisor, reason="TVA absente")
    assert garage_waits() == set()  # the paid one still stands


def test_deciding_a_supplement_closes_its_messages_wait(world):
    from decimal import Decimal

    from connect.messaging.services import open_thread
    from connect.messaging.subjects import METHODOLOGY
    from connect.supplements.models import Outcome
    from connect.supplements.services import SupplementDraft, decide_supplement

    dossier = world.dossier_a
    thread = open_thread(
        dossier=dossier,
        subject_key=METHODOLOGY.key,
        author=world.repairer,
        body="Le longeron est touché.",
        supplement=SupplementDraft(amount=Decimal("820.50")),
    ).thread

    def open_kinds():
        return {p.kind for p in WaitPeriod.objects.filter(dossier=dossier, ended_at__isnull=True)}

    assert open_kinds() == {WaitKind.MESSAGE_ANSWER, WaitKind.SUPPLEMENT_DECISION}

    decide_supplement(
        supplement=thread.supplements.get(), by=world.expert, outcome=Outcome.ACCEPTED
    )

    assert open_kinds() == set()
    dossier.refresh_from_db()
    assert (dossier.ball, dossier.due_at) == ("", None)
    thread.refresh_from_db()
    assert thread.due_at is None  # out of the staff inbox's "par échéance"

    # A new question after the decision waits for an answer again.
    from connect.messaging.services import post_message

    post_message(thread=thread, author=world.repairer, body="Et la peinture ?")
    assert open_kinds() == {WaitKind.MESSAGE_ANSWER}


def home(client, user, tab="a-traiter"):
    from django.urls import reverse

    from connect.testing import login_as

    login_as(client, user)
    return client.get(reverse("home"), {"onglet": tab})


def listed(page):
    return {dossier.reference for dossier in page.context["page"].object_list}


def test_what_the_garage_owes_shows_while_the_firm_also_owes_something(client, world):
    from connect.checklists.services import ask_again
    from connect.messaging.services import open_thread

    dossier = world.dossier_a
    request = create_request(
        dossier=dossier, by=world.expert, items=[ItemSpec(label="Photo ¾ avant droit")]
    )
    item = answer_item(item=request.items.get(), by=world.repairer, note="Voici")
    ask_again(item=item, by=world.expert, reason="Floue")
    open_thread(dossier=dossier, subject_key="expert", author=world.repairer, body="Et le devis ?")

    dossier.refresh_from_db()
    assert (dossier.ball, dossier.wait_kind) == (Ball.FIRM, WaitKind.MESSAGE_ANSWER)
    assert dossier.garage_wait_kind == WaitKind.COMPLEMENT_REQUESTED
    page = home(client, world.repairer)
    assert dossier.reference in listed(page) and page.context["counts"]["a-traiter"] == 1
    html = page.content.decode()
    assert "Chez BCA · réponse prévue" in html and "À vous depuis aujourd&#x27;hui" in html
    assert "Réponse à un message" in html and "Complément demandé" in html  # what is awaited


def test_ticking_every_requested_item_received_ends_the_firms_check(world):
    from connect.checklists.services import mark_received
    from connect.checklists.tests.helpers import photo

    dossier = world.dossier_a
    dossier.__class__.objects.filter(pk=dossier.pk).update(remote_assessment=True)
    request = create_request(
        dossier=dossier,
        by=world.expert,
        items=[ItemSpec(label="Photo ¾ avant droit", doc_type="photo"), ItemSpec(label="Radar")],
    )
    items = [answer_item(item=i, by=world.repairer, files=[photo()]) for i in request.items.all()]
    dossier.refresh_from_db()
    assert dossier.ball == Ball.FIRM

    for item in items:
        mark_received(item=item, by=world.expert)

    dossier.refresh_from_db()
    assert (dossier.ball, dossier.wait_kind) == ("", "")
    assert not WaitPeriod.objects.filter(dossier=dossier, ended_at__isnull=True).exists()


def test_staff_read_the_firms_side(client, world):
    from connect.messaging.services import open_thread

    create_request(dossier=world.dossier_a, by=world.expert, items=[ItemSpec(label="Photo")])
    open_thread(
        dossier=world.dossier_b,
        subject_key="expert",
        author=world.other_repairer,
        body="Quand passez-vous ?",
    )

    page = home(client, world.expert)
    # "À traiter", for the expert, is what waits on the firm.
    assert listed(page) == {world.dossier_b.reference}
    assert page.context["counts"]["a-traiter"] == 1
    everything = home(client, world.expert, tab="tous").content.decode()
    assert "Chez le garage depuis aujourd&#x27;hui" in everything
    assert "À vous" not in everything
    # The repairer's own list is unchanged: what waits on the garage.
    assert listed(home(client, world.repairer)) == {world.dossier_a.reference}


def test_the_garage_dashboard_opened_by_staff_does_not_say_a_vous(client, world):
    from django.urls import reverse

    from connect.testing import login_as

    url = reverse("dashboard:garage", kwargs={"garage_id": world.garage_a.pk})
    staff = login_as(client, world.expert).get(url).content.decode()
    assert "À vous" not in staff and "Chez le garage (attendu par" in staff
    garage = login_as(client, world.repairer).get(url).content.decode()
    assert "À vous (attendu par" in garage


def test_one_word_for_each_side_as_the_reader_has_it(client, world):
    from django.urls import reverse

    from connect.deadlines.digest import overdue_items
    from connect.messaging.services import open_thread
    from connect.testing import login_as

    dossier = world.dossier_a
    create_request(dossier=dossier, by=world.expert, items=[ItemSpec(label="Photo")])
    open_thread(dossier=dossier, subject_key="expert", author=world.repairer, body="Quand ?")
    url = reverse("dossier_detail", kwargs={"code": dossier.code})

    garage = login_as(client, world.repairer).get(url).content.decode()
    assert "(Chez BCA)" in garage and "(À vous)" in garage
    staff = login_as(client, world.expert).get(url).content.decode()
    assert "(Chez BCA)" in staff and "(Chez le garage)" in staff and "(À vous)" not in staff
    for html in (garage, staff):
        assert "Chez le cabinet" not in html

    # The manager's digest speaks as the firm.
    WaitPeriod.objects.update(due_at=timezone.now() - timedelta(hours=1))
    items, _ = overdue_items(world.unit1.pk)
    assert {item.side for item in items} == {"Chez BCA", "Chez le garage"}


def test_a_past_appointment_is_not_the_next_one(client, world):
    from django.urls import reverse

    from connect.testing import login_as

    dossier = world.dossier_a
    dossier.__class__.objects.filter(pk=dossier.pk).update(
        appointment_at=timezone.now() - timedelta(days=3)
    )
    url = reverse("dossier_detail", kwargs={"code": dossier.code})
    html = login_as(client, world.repairer).get(url).content.decode()
    assert "Dernier rendez-vous" in html
    assert "Prochain rendez-vous" not in html and "(passé)" not in html


def test_a_supplements_wait_says_its_amount_in_french(world):
    from decimal import Decimal

    from connect.messaging.services import open_thread
    from connect.messaging.subjects import METHODOLOGY
    from connect.supplements.services import SupplementDraft

    open_thread(
        dossier=world.dossier_a,
        subject_key=METHODOLOGY.key,
        author=world.repairer,
        body="Longeron",
        supplement=SupplementDraft(amount=Decimal("1820.50")),
    )
    period = WaitPeriod.objects.get(kind=WaitKind.SUPPLEMENT_DECISION)
    assert period.label.startswith("Supplément de 1") and period.label.endswith("820,50 € HT")
