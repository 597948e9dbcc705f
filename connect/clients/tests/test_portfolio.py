"""The client's portfolio: its dossiers across garages and units and nothing else, tabs,
search, filters, export, and the read-only dossier page (never the threads)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from connect.dossiers.models import Step, StepKind
from connect.testing import login_as

from .helpers import client_user, other_client


@pytest.fixture
def portfolio(world):
    """Client A's dossiers in two units (A: garage A, unit 1; C: garage C, unit 2), one of
    them in region "Sud"; client B's in garage B; and a dossier of no client."""
    w = world
    w.dossier_c.client, w.dossier_c.client_region = w.client, "Sud"
    w.dossier_c.claim_reference, w.dossier_c.insured_name = "SIN-777", "DUPONT JEAN"
    w.dossier_c.set_derived_fields()
    w.dossier_c.save()
    w.client_b = other_client()
    w.dossier_b.client = w.client_b
    w.dossier_b.save()
    w.closed = w.dossier("99900", w.garage_b, client=w.client, archived=True, plate="AA-001-AA")
    w.south_user = client_user("sud@client-a.example", w.client, region="Sud")
    w.b_user = client_user("b@client-b.example", w.client_b)
    w.lonely = w.dossier("99950", w.garage_a, plate="ZZ-999-ZZ")
    return w


def listed_references(client, **params) -> list[str]:
    response = client.get(reverse("clients:portfolio"), params)
    assert response.status_code == 200
    return sorted(row.reference for row in response.context["page"].object_list)


def test_a_client_sees_its_dossiers_across_garages_and_units_only(client, portfolio):
    w = portfolio
    login_as(client, w.client_user)
    assert listed_references(client) == ["99677", "99812"]
    assert listed_references(client, onglet="clos") == ["99900"]
    login_as(client, w.b_user)
    assert listed_references(client) == ["99791"]
    login_as(client, w.south_user)
    assert listed_references(client) == ["99812"]


@pytest.mark.parametrize(
    "persona, reachable",
    [
        ("client_user", {"99677", "99812", "99900"}),
        ("south_user", {"99812"}),
        ("b_user", {"99791"}),
    ],
)
def test_each_dossier_page_opens_to_its_client_only(client, portfolio, persona, reachable):
    w = portfolio
    login_as(client, getattr(w, persona))
    for dossier in (w.dossier_a, w.dossier_b, w.dossier_c, w.closed, w.lonely):
        url = reverse("clients:dossier", args=[dossier.code])
        expected = 200 if dossier.reference in reachable else 404
        assert client.get(url).status_code == expected, (persona, dossier.reference)


def test_nobody_else_reaches_the_portfolio_and_clients_reach_no_garage_page(client, portfolio):
    w = portfolio
    for user in (w.repairer, w.insured, w.expert, w.admin):
        login_as(client, user)
        assert client.get(reverse("clients:portfolio")).status_code == 404, user.email
        url = reverse("clients:dossier", args=[w.dossier_a.code])
        assert client.get(url).status_code == 404, user.email
        assert client.get(reverse("clients:export_csv")).status_code == 404, user.email
    login_as(client, w.client_user)
    assert client.get(reverse("home")).status_code == 404
    assert client.get(reverse("dossier_detail", args=[w.dossier_a.code])).status_code == 404


def test_tabs_follow_the_reports_and_the_invoice(client, portfolio):
    w = portfolio
    login_as(client, w.client_user)
    Step.objects.create(
        dossier=w.dossier_a, label="Rapport", kind=StepKind.REPORT, occurred_at=timezone.now()
    )
    w.dossier_c.awaiting_invoice = True
    w.dossier_c.save()
    counts = client.get(reverse("clients:portfolio")).context["counts"]
    assert counts == {
        "en-cours": 2,
        "attente-rapport": 1,
        "en-reparation": 1,
        "attente-facture": 1,
        "clos": 1,
    }
    assert listed_references(client, onglet="en-reparation") == ["99677"]
    assert listed_references(client, onglet="attente-rapport") == ["99812"]
    assert listed_references(client, onglet="attente-facture") == ["99812"]


def test_search_by_claim_reference_plate_or_insured_name(client, portfolio):
    w = portfolio
    login_as(client, w.client_user)
    assert listed_references(client, q="sin-777") == ["99812"]
    assert listed_references(client, q="gg 010 mz") == ["99677"]
    assert listed_references(client, q="dupont") == ["99812"]
    assert listed_references(client, q="ZZ-999-ZZ") == []  # no client's dossier
    assert listed_references(client, q="FP-562-AB") == []  # client B's


def test_filters_by_garage_unit_period_and_impact(client, portfolio):
    w = portfolio
    w.dossier_a.mission_received_on, w.dossier_a.impact = date(2026, 11, 2), "à l'avant"
    w.dossier_a.save()
    w.dossier_c.mission_received_on = date(2026, 10, 1)
    w.dossier_c.save()
    login_as(client, w.client_user)
    assert listed_references(client, garage=w.garage_c.pk) == ["99812"]
    assert listed_references(client, unite=w.unit1.pk) == ["99677"]
    assert listed_references(client, depuis="2026-10-15") == ["99677"]
    assert listed_references(client, jusqu="2026-10-15") == ["99812"]
    assert listed_references(client, choc="à l'avant") == ["99677"]
    # Another client's garage as a filter finds nothing of theirs.
    assert listed_references(client, garage=w.garage_b.pk) == []
    page = client.get(reverse("clients:portfolio"), {"jusqu": "bad", "garage": "x²", "choc": "z"})
    assert page.status_code == 200
    assert "Date de fin invalide" in page.content.decode()


def test_rows_link_to_the_portfolio_dossier_page(client, portfolio):
    login_as(client, portfolio.client_user)
    html = client.get(reverse("clients:portfolio")).content.decode()
    assert reverse("clients:dossier", args=[portfolio.dossier_a.code]) in html
    garage_page = reverse("dossier_detail", args=[portfolio.dossier_a.code])
    assert f'href="{garage_page}"' not in html


def test_the_export_streams_the_filtered_portfolio(client, portfolio):
    login_as(client, portfolio.client_user)
    response = client.get(reverse("clients:export_csv"), {"onglet": "en-cours", "q": "dupont"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="portefeuille-')
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 2 and "99812" in lines[1]
    assert "99677" not in body and "99791" not in body


def test_the_dossier_page_shows_steps_waits_supplements_and_invoices_never_threads(
    client, portfolio
):
    from connect.invoices.tests.helpers import send_invoice
    from connect.messaging.services import open_thread
    from connect.supplements.services import SupplementDraft, decide_supplement, submit_supplement

    w = portfolio
    open_thread(
        dossier=w.dossier_a, subject_key="divers", author=w.repairer, body="Secret du garage"
    )
    supplement = submit_supplement(
        dossier=w.dossier_a, by=w.repairer, draft=SupplementDraft(amount=Decimal("300.00"))
    )
    decide_supplement(
        supplement=supplement,
        by=w.expert,
        outcome="partly",
        accepted_amount=Decimal("200.00"),
        reason="Pièce réutilisable",
    )
    send_invoice(w.dossier_a, w.repairer)
    Step.objects.create(
        dossier=w.dossier_a,
        label="Mission reçue",
        kind=StepKind.MISSION,
        occurred_at=timezone.now() - timedelta(days=3),
    )
    login_as(client, w.client_user)
    page = client.get(reverse("clients:dossier", args=[w.dossier_a.code])).content.decode()
    assert "Mission reçue" in page
    assert "300,00 € HT" in page and "200,00 € HT accordés" in page
    assert "Facture reçue le" in page and "Reçue" in page
    assert "Historique des attentes" in page and "Aucune attente" not in page
    assert f"Chez {settings.FIRM_SHORT_NAME}" in page
    assert "Secret du garage" not in page and "Messages" not in page


def test_the_excel_export_holds_the_same_rows(client, portfolio):
    from io import BytesIO

    from openpyxl import load_workbook

    login_as(client, portfolio.client_user)
    response = client.get(reverse("clients:export_xlsx"), {"onglet": "en-cours"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    references = sorted(str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True))
    assert references == ["99677", "99812"]


def test_exports_are_throttled_per_user(client, portfolio, settings):
    settings.EXPORTS_PER_USER_PER_HOUR = 1
    login_as(client, portfolio.client_user)
    assert client.get(reverse("clients:export_csv")).status_code == 200
    assert client.get(reverse("clients:export_xlsx")).status_code == 429


def test_a_portfolio_page_costs_the_same_queries_whatever_its_size(client, portfolio):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = portfolio
    login_as(client, w.client_user)
    client.get(reverse("clients:portfolio"))  # the session and principal warmed

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("clients:portfolio"), {"q": "a"}).status_code == 200
        return len(captured)

    small = queries()
    for n in range(40):
        w.dossier(f"5{n:04d}", w.garage_c, client=w.client, insured_name="MARTIN A")
    assert queries() == small
