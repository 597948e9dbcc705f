"""The dashboard's figures against a world computed by hand (fixed `now`).

WaitPeriod rows and the ball are written here as the engine (connect/deadlines) writes them
(kind, side, since, due_at, ended_at), so that each figure is computed by hand.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from connect.dashboard.figures import figures
from connect.deadlines.models import WaitPeriod
from connect.dossiers.models import Step, StepKind
from connect.invoices.models import Invoice, InvoiceState

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
D = timedelta(days=1)


def wait(dossier, kind, side, *, since, ended_at=None, due_at=None, key=None):
    return WaitPeriod.objects.create(
        dossier=dossier,
        kind=kind,
        side=side,
        since=since,
        ended_at=ended_at,
        due_at=due_at,
        key=key or f"{kind}:{since.isoformat()}",
    )


def step(dossier, kind, at):
    Step.objects.create(dossier=dossier, kind=kind, label=kind, occurred_at=at)


@pytest.fixture
def hand(world):
    """Garage A: dossier_a (N.C.), d1, d2 (EN COURS), d3 (EN ATTENTE FACTURE, EAD), d4
    archived; garage B's rows must never count."""
    a, b = world.garage_a, world.garage_b
    dossier_a = world.dossier_a
    d1 = world.dossier("A1", a, status_label="EN COURS", appointment_at=NOW + 2 * D)
    d2 = world.dossier("A2", a, status_label="EN COURS", awaiting_invoice=True)
    d3 = world.dossier(
        "A3",
        a,
        status_label="EN ATTENTE FACTURE",
        awaiting_invoice=True,
        remote_assessment=True,
        awaiting_ead=True,
    )
    world.dossier("A4", a, status_label="CLOS", archived=True)
    other = world.dossier("B1", b, status_label="EN COURS")

    # Firm-side waits ended in the last 30 days: messages 2 h, 4 h, 10 h; an invoice 48 h.
    for hours, dossier in ((2, d1), (4, d2), (10, d3)):
        wait(dossier, "message_answer", "firm", since=NOW - 5 * D, ended_at=NOW - 5 * D + hours * H)
    wait(d1, "invoice_validation", "firm", since=NOW - 9 * D, ended_at=NOW - 7 * D)
    # 40 days ago (90 days only): a message answered in 100 h.
    wait(d2, "message_answer", "firm", since=NOW - 45 * D, ended_at=NOW - 45 * D + 100 * H)
    # Never counted in the response times: the garage's side, garage B, still open.
    wait(d1, "ead_material_awaited", "garage", since=NOW - 3 * D, ended_at=NOW - 2 * D)
    wait(other, "message_answer", "firm", since=NOW - 3 * D, ended_at=NOW - 3 * D + H)
    # Open now: overdue on the garage 1, on the firm 2; not overdue 1; garage B's 1.
    wait(d1, "complement_requested", "garage", since=NOW - 4 * D, due_at=NOW - D)
    # What the engine writes for d1 (its only open wait is on the garage): "À traiter".
    type(d1).objects.filter(pk=d1.pk).update(
        ball="garage",
        wait_kind="complement_requested",
        garage_wait_kind="complement_requested",
        garage_waiting_since=NOW - 4 * D,
    )
    wait(d2, "message_answer", "firm", since=NOW - 2 * D, due_at=NOW - H, key="m-open")
    wait(d3, "ead_assessment", "firm", since=NOW - 3 * D, due_at=NOW - 2 * D)
    wait(dossier_a, "message_answer", "firm", since=NOW - H, due_at=NOW + D)
    wait(other, "message_answer", "firm", since=NOW - 9 * D, due_at=NOW - 8 * D, key="b-open")

    # Invoices: awaiting validation 2 (1 200 € known), awaiting payment 1 (500 € HT only).
    Invoice.objects.create(dossier=d1, state=InvoiceState.RECEIVED)
    Invoice.objects.create(dossier=d2, state=InvoiceState.RECEIVED, amount_incl_vat=Decimal("1200"))
    Invoice.objects.create(dossier=d3, state=InvoiceState.VALIDATED, amount_excl_vat=Decimal("500"))
    Invoice.objects.create(dossier=dossier_a, state=InvoiceState.PAID, amount_incl_vat=7)
    Invoice.objects.create(dossier=dossier_a, state=InvoiceState.REJECTED, amount_incl_vat=8)
    Invoice.objects.create(dossier=other, state=InvoiceState.RECEIVED, amount_incl_vat=999)

    # Mission → first report: d1 10 days and d2 45 days (in 30 days); d3 40 days and
    # dossier_a 10 days (first report 60 days ago, a second one 3 days ago: 90 days only).
    step(d1, StepKind.MISSION, NOW - 20 * D)
    step(d1, StepKind.REPORT, NOW - 10 * D)
    step(d2, StepKind.MISSION, NOW - 50 * D)
    step(d2, StepKind.REPORT, NOW - 5 * D)
    step(d3, StepKind.MISSION, NOW - 100 * D)
    step(d3, StepKind.REPORT, NOW - 60 * D)
    step(dossier_a, StepKind.MISSION, NOW - 70 * D)
    step(dossier_a, StepKind.REPORT, NOW - 60 * D)
    step(dossier_a, StepKind.REPORT, NOW - 3 * D)
    step(other, StepKind.MISSION, NOW - 9 * D)
    step(other, StepKind.REPORT, NOW - 8 * D)
    return world


def test_dossiers_by_tab_and_by_state(hand):
    found = figures([hand.garage_a.pk], now=NOW, days=30)
    assert found.tabs == [
        ("Tous dossiers", 4),
        ("À traiter", 1),
        ("Dossiers en cours", 2),
        ("En attente facture", 2),
        ("Examens à venir", 1),
        ("Suivi VE en cours", 0),
        ("En attente EAD", 1),
    ]
    assert found.states == [("EN COURS", 2), ("EN ATTENTE FACTURE", 1), ("N.C.", 1)]


def test_median_firm_response_per_kind_over_30_and_90_days(hand):
    """In working hours (the default openings, 9:00–12:30 and 14:00–18:00 Paris time, Monday to
    Friday): the messages sent on Thursday 26/11 at 13:00 and answered 2, 4 and 10 h later took
    1, 3 and 4 working hours; the invoice from Sunday 13:00 to Tuesday 13:00 took Monday's 7.5 h
    and Tuesday morning's 3.5 h; the message of Saturday 17/10 at 14:00 answered 100 h later
    (Wednesday 18:00) took three whole working days, 22.5 h."""
    assert figures([hand.garage_a.pk], now=NOW, days=30).response_hours == [
        ("Réponse à un message", 3.0, 3),
        ("Validation de la facture", 11.0, 1),
    ]
    assert figures([hand.garage_a.pk], now=NOW, days=90).response_hours == [
        ("Réponse à un message", 3.5, 4),  # 1, 3, 4, 22.5 working hours
        ("Validation de la facture", 11.0, 1),
    ]
    assert figures([hand.garage_a.pk], now=NOW, days=30).day_hours == 7.5


def test_overdue_on_each_side_now(hand):
    assert figures([hand.garage_a.pk], now=NOW, days=30).overdue == {"garage": 1, "firm": 2}


def test_invoices_awaiting_validation_and_payment(hand):
    assert figures([hand.garage_a.pk], now=NOW, days=30).invoices == {
        "validation": (2, Decimal("1200")),
        "payment": (1, Decimal("500")),
    }


def test_median_mission_to_report_days(hand):
    thirty = figures([hand.garage_a.pk], now=NOW, days=30)
    assert (thirty.mission_to_report_days, thirty.reports) == (27.5, 2)
    ninety = figures([hand.garage_a.pk], now=NOW, days=90)
    assert (ninety.mission_to_report_days, ninety.reports) == (25.0, 4)  # 10, 10, 40, 45


def test_supplements_count_once_under_their_decision_in_force(hand, world):
    from connect.supplements.models import Outcome, Supplement, SupplementDecision

    def supplement(dossier, *decisions):
        made = Supplement.objects.create(dossier=dossier, amount=Decimal("100"))
        for outcome, at in decisions:
            SupplementDecision.objects.create(
                supplement=made, outcome=outcome, accepted_amount=0, decided_at=at
            )

    a1 = world.dossier("S1", hand.garage_a)
    supplement(a1, (Outcome.ACCEPTED, NOW - 2 * D))
    supplement(a1, (Outcome.REFUSED, NOW - 10 * D), (Outcome.PARTLY, NOW - 5 * D))  # once
    supplement(a1, (Outcome.REFUSED, NOW - 50 * D))  # 90 days only
    supplement(a1)  # undecided
    supplement(world.dossier("S2", hand.garage_b), (Outcome.ACCEPTED, NOW - D))  # garage B

    thirty = figures([hand.garage_a.pk], now=NOW, days=30).supplements
    assert thirty == {Outcome.ACCEPTED: 1, Outcome.PARTLY: 1, Outcome.REFUSED: 0}
    ninety = figures([hand.garage_a.pk], now=NOW, days=90).supplements
    assert ninety == {Outcome.ACCEPTED: 1, Outcome.PARTLY: 1, Outcome.REFUSED: 1}


def test_two_garages_add_up(hand):
    both = figures([hand.garage_a.pk, hand.garage_b.pk], now=NOW, days=30)
    assert both.overdue == {"garage": 1, "firm": 3}
    assert both.invoices["validation"] == (3, Decimal("2199"))
    # Garage B's message of Saturday 13:00 answered an hour later: no working time at all.
    assert both.response_hours[0] == ("Réponse à un message", 2.0, 4)  # 0, 1, 3, 4 h
    assert (both.mission_to_report_days, both.reports) == (10.0, 3)  # 1, 10, 45 days
