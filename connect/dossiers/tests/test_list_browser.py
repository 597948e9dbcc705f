"""In Chromium: log in, switch tabs, search a plate typed with spaces, open it by keyboard."""

import re

import pytest
from playwright.sync_api import expect

from connect.testing import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_repairer_finds_a_dossier_by_plate_and_opens_it_by_keyboard(live_server, page, world):
    world.dossier("10060", world.garage_a, awaiting_invoice=True, plate="FP-562-AB")
    page.goto(f"{live_server.url}/connexion/")
    page.fill("input[name=username]", world.repairer.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
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
