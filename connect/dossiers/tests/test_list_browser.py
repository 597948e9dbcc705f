"""In Chromium: log in, switch tabs, search a plate typed with spaces, open it by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from connect.testing import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_repairer_finds_a_dossier_by_plate_and_opens_it_by_keyboard(live_server, page, world):
    world.dossier("10060", world.garage_a, awaiting_invoice=True, plate="FP-562-AB")
    log_in(page, live_server, world.repairer)
    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()

    tabs = page.get_by_role("navigation", name="Onglets des dossiers")
    tabs.get_by_role("link", name=re.compile("En attente facture")).click()
    expect(page).to_have_url(re.compile(r"onglet=attente-facture"))
    expect(tabs.get_by_role("link", name=re.compile("En attente facture"))).to_have_attribute(
        "aria-current", "page"
    )
    rows = page.locator("tbody .dossier-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("10060")

    tabs.get_by_role("link", name=re.compile("Tous dossiers")).click()
    expect(rows).to_have_count(2)
    page.get_by_role("searchbox", name="Recherchez vos dossiers").fill("gg 010 mz")
    page.get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"q=gg(%20|\+)010(%20|\+)mz"))
    expect(rows).to_have_count(1)
    link = rows.first.get_by_role("link", name="99677")

    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/dossiers/{world.dossier_a.code}/")
    expect(page.locator("h1")).to_contain_text("99677")


def _widest_dossiers(world):
    """Dossiers holding the demo's longest values, with every mark of "Etat dossier"."""
    from datetime import date
    from decimal import Decimal

    from django.utils import timezone

    from connect.documents.models import Origin
    from connect.documents.samples import pdf
    from connect.documents.services import add_document
    from connect.messaging.services import open_thread

    for number in range(6):
        dossier = world.dossier(
            f"1000{number}",
            world.garage_a,
            plate="GG-010-MZ",
            claim_reference="9826945628/S17MPO",
            vehicle="PEUGEOT - BOXER III FOURGON TOLE",
            insurer="HOWDEN ASSURANCES",
            status_label="EXPERTISE PROGRAMMÉE",
            insured_name="TRANSPORTS FINANCIERS DU CENTRE",
            impact="sur le côté gauche",
            repair_amount=Decimal("123456.78"),
            ve_procedure=True,
            archived=number % 2 == 1,
            appointment_at=timezone.now(),
            mission_received_on=date(2026, 11, 2),
        )
        from django.core.files.base import ContentFile

        add_document(
            dossier=dossier,
            file=ContentFile(pdf("r"), name="r.pdf"),
            doc_type="rapport_expertise",
            origin=Origin.FIRM,
        )
        open_thread(dossier=dossier, subject_key="cabinet", author=world.expert, body="Bonjour")


def _log_in(page, live_server, user):
    log_in(page, live_server, user)
    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1366])
def test_the_dossier_table_fits_from_1280_px_without_sideways_scroll(
    live_server, page, world, width
):
    _widest_dossiers(world)
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, live_server, world.repairer)
    wrap = page.locator(".dossier-table-wrap")
    sizes = wrap.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    print(f"{width} px: table {sizes[0]} px in a {sizes[1]} px frame")
    page.screenshot(path=f"test-results/dossier-table-{width}.png")
    assert sizes[0] <= sizes[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # "Etat dossier" (the novelty marks) is in view, and the text stays readable.
    marks = page.locator("tbody .dossier-row__marks").first
    expect(marks.get_by_role("img", name="Nouveau document")).to_be_in_viewport()
    expect(marks.get_by_role("img", name="Nouveau message")).to_be_in_viewport()
    size = page.locator("tbody td").first.evaluate("(td) => getComputedStyle(td).fontSize")
    assert float(size.removesuffix("px")) >= 13


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_cards_are_compact_and_the_documents_one_tap_away(
    live_server, browser, world
):
    _widest_dossiers(world)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    _log_in(page, live_server, world.repairer)
    cards = page.locator("tbody .dossier-row")
    heights = cards.evaluate_all("(rows) => rows.map((row) => row.getBoundingClientRect().height)")
    print(f"390 px: {len(heights)} cards, {max(heights):.0f} px the tallest")
    # The demo's longest value in every column: 465 px a card before the compact layout, ~350
    # after (two cells a line).
    assert max(heights) <= 844 * 0.45
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cards.first.get_by_role("link").first.click()
    jump = page.get_by_role("link", name="Aller aux documents")
    expect(jump).to_be_in_viewport()
    jump.tap()
    expect(page.get_by_role("heading", name="Documents", exact=True)).to_be_in_viewport()
    context.close()
