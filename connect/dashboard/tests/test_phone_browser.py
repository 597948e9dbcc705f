"""In Chromium on a 360 px phone: the dashboard and "Mes factures" read without sideways
scrolling, reached from the navigation; the charts are images with a name."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from connect.invoices.models import Invoice, InvoiceState
from connect.testing import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_repairer_reads_the_dashboard_and_invoices_on_a_phone(live_server, browser, world):
    for n in range(3):
        dossier = world.dossier(f"PH-{n}", world.garage_a, status_label="EN ATTENTE FACTURE")
        Invoice.objects.create(
            dossier=dossier,
            state=InvoiceState.VALIDATED,
            amount_incl_vat=Decimal("12345.67"),
            amount_excl_vat=10288,
        )
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, world.repairer)
    expect(page.get_by_role("heading", name="Retrouvez vos dossiers")).to_be_visible()

    page.get_by_role("link", name="Tableau de bord").first.click()
    expect(page.get_by_role("heading", name="Tableau de bord", exact=False).first).to_be_visible()
    expect(page.get_by_role("img", name="Montant des factures en attente")).to_be_visible()
    # The table beside the chart is folded on a phone (issue 24, item 23); it opens on a tap.
    expect(page.get_by_role("cell", name="37 037,01 €")).to_be_hidden()
    page.locator("section[aria-labelledby=invoices-heading] summary").click()
    expect(page.get_by_role("cell", name="37 037,01 €")).to_be_visible()
    page.screenshot(path="test-results/dashboard-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("link", name="Mes factures").first.click()
    expect(page.get_by_role("heading", name="Mes factures")).to_be_visible()
    expect(page.get_by_text("PH-2")).to_be_visible()
    page.screenshot(path="test-results/invoices-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()
