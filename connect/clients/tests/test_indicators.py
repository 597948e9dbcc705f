"""The client's indicators against a fixture computed by hand: stages, service levels,
supplements, impacts, the garage table and its median / 75th percentile benchmark."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from connect.clients.access import portfolio
from connect.clients.indicators import indicators, percentile_75
from connect.deadlines.models import WaitPeriod
from connect.dossiers.models import Step, StepKind
from connect.invoices.models import Invoice, InvoiceState, InvoiceStateChange
from connect.supplements.models import Outcome, Supplement, SupplementDecision
from connect.testing import login_as

from .helpers import other_client


def test_the_75th_percentile_interpolates_between_ranks():
    assert percentile_75([]) is None
    assert percentile_75([7.0]) == 7.0
    assert percentile_75([4.0, 5.0]) == 4.75
    assert percentile_75([1.0, 2.0, 3.0, 4.0, 5.0]) == 4.0


@pytest.fixture
def figures_world(world):
    w = world
    w.now = timezone.now()
    day = (w.now - timedelta(days=20)).date()
    w.mission = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    m = w.mission

    def at(days: float):
        return m + timedelta(days=days)

    def step(dossier, kind, days):
        Step.objects.create(dossier=dossier, label=kind, kind=kind, occurred_at=at(days))

    def dossier(reference, garage, **fields):
        return w.dossier(reference, garage, client=w.client, mission_received_on=day, **fields)

    d1 = dossier("1", w.garage_a, impact="à l'avant", repair_amount=Decimal("1000"))
    d2 = dossier(
        "2", w.garage_a, impact="à l'avant", repair_amount=Decimal("3000"), remote_assessment=True
    )
    d3 = dossier("3", w.garage_c)
    w.dossier("4", w.garage_a, client=w.client, mission_received_on=day - timedelta(days=400))
    w.dossier("5", w.garage_b, client=other_client(), mission_received_on=day)
    step(d1, StepKind.EXAM, 1)
    step(d1, StepKind.REPORT, 3)
    step(d2, StepKind.EXAM, 2)
    step(d2, StepKind.EXAM, 4)  # the first exam counts
    step(d2, StepKind.REPORT, 7)
    step(d3, StepKind.REPORT, 4)
    invoice = Invoice.objects.create(
        dossier=d1, state=InvoiceState.PAID, received_at=at(6), paid_on=at(9).date()
    )
    InvoiceStateChange.objects.create(invoice=invoice, state=InvoiceState.VALIDATED, at=at(7))
    Invoice.objects.create(dossier=d2, state=InvoiceState.REJECTED, received_at=at(8))
    s1 = Supplement.objects.create(dossier=d1, amount=Decimal("100"))
    SupplementDecision.objects.create(
        supplement=s1, outcome=Outcome.PARTLY, accepted_amount=Decimal("60")
    )
    s3 = Supplement.objects.create(dossier=d3, amount=Decimal("50"))
    SupplementDecision.objects.create(
        supplement=s3, outcome=Outcome.REFUSED, accepted_amount=Decimal("0")
    )

    def wait(dossier, side, key, due, ended):
        WaitPeriod.objects.create(
            dossier=dossier,
            kind="k",
            side=side,
            key=key,
            since=at(0),
            due_at=at(due),
            ended_at=at(ended),
        )

    wait(d1, "firm", "a", due=2, ended=1)  # in time
    wait(d1, "firm", "b", due=2, ended=3)  # late
    wait(d2, "garage", "c", due=5, ended=5)  # in time (at the due date)
    WaitPeriod.objects.create(dossier=d2, kind="k", side="firm", key="d", since=at(0))  # open
    return w


def test_the_indicators_match_the_hand_computed_figures(figures_world):
    w = figures_world
    found = indicators(portfolio(w.client_user), now=w.now, days=90)
    assert found.dossiers == 3  # not the 400-day-old one, nor client B's
    assert found.stages == [
        ("Mission → premier examen", 1.5, 2),
        ("Premier examen → rapport", 3.5, 2),
        ("Rapport → facture reçue (fin des réparations)", 3.0, 1),
        ("Facture reçue → validée", 1.0, 1),
        ("Facture validée → payée", 2.0, 1),
    ]
    assert found.within_level == {"firm": (1, 2), "garage": (1, 1)}
    assert (found.remote, found.field_exams) == (1, 1)
    assert found.supplement_rate == pytest.approx(2 / 3)
    assert (found.supplements_asked, found.supplements_accepted) == (Decimal("150"), Decimal("60"))
    assert found.repair_by_impact == [("à l'avant", Decimal("2000"), 2)]
    lines = {
        line.name: (line.dossiers, line.cycle_days, line.supplement_rate) for line in found.garages
    }
    assert lines == {"Garage A": (2, 5.0, 0.5), "Garage C": (1, 4.0, 1.0)}
    assert found.benchmark == {"cycle_days": (4.5, 4.75), "supplement_rate": (0.75, 0.875)}


def test_a_shorter_period_or_a_region_narrows_the_figures(figures_world):
    w = figures_world
    assert indicators(portfolio(w.client_user), now=w.now, days=10).dossiers == 0
    member = w.client_user.client_member
    member.region = "Nord"
    member.save()
    w.client_user._client_member = None
    del w.client_user._client_member
    assert indicators(portfolio(w.client_user), now=w.now, days=90).dossiers == 0


def test_the_indicators_page_draws_the_figures_for_the_client_only(client, figures_world):
    w = figures_world
    login_as(client, w.client_user)
    response = client.get(reverse("dashboard:client_indicators"), {"periode": "90"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "Mission → premier examen" in page
    assert "Garage A" in page and "Garage C" in page and "Garage B" not in page
    assert "75e centile du portefeuille" in page
    assert f"garage={w.garage_c.pk}" in page  # each garage's line opens its dossiers
    narrowed = client.get(
        reverse("dashboard:client_indicators"), {"garage": w.garage_c.pk, "periode": "x"}
    )
    assert narrowed.status_code == 200 and narrowed.context["figures"].dossiers == 1
    for user in (w.repairer, w.expert, w.insured):
        login_as(client, user)
        assert client.get(reverse("dashboard:client_indicators")).status_code == 404
