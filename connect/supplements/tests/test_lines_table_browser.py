"""The supplement's lines on a phone (390 px): the total follows what is typed, a row can be
added, and the supplement sent is the lines' total; axe finds nothing serious."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from connect.messaging.tests.helpers import jpeg
from connect.supplements.models import Supplement
from connect.testing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "block"}


def test_the_lines_total_is_live_on_a_phone(live_server, page, world, tmp_path):
    picture = tmp_path / "choc.jpg"
    picture.write_bytes(jpeg((640, 480)))
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, world.repairer)
    page.goto(
        f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=methodologie"
    )
    total = page.locator("[data-lines-total]")
    expect(total).to_have_text("—")
    page.get_by_label("Poste 1", exact=True).fill("Aile avant droite")
    page.get_by_label("Montant HT du poste 1 (€)").fill("320,00")
    expect(total).to_have_text("320,00")
    page.get_by_label("Poste 2", exact=True).fill("Peinture")
    page.get_by_label("Montant HT du poste 2 (€)").fill("1 930,5")
    expect(total).to_have_text("2\u202f250,50")
    for _ in range(2):
        page.get_by_role("button", name="Ajouter une ligne").click()
    page.get_by_label("Poste 6", exact=True).fill("Vernis")
    page.get_by_label("Montant HT du poste 6 (€)").fill("49,50")
    expect(total).to_have_text("2\u202f300,00")
    page.fill("#id_body", "Dommages découverts au démontage")
    page.set_input_files("#id_files", str(picture))
    page.screenshot(path="/tmp/requests-shots/supplement-lines.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url("**/messages/*/")
    supplement = Supplement.objects.get()
    assert supplement.amount == Decimal("2300.00")
    assert [line.label for line in supplement.lines.all()] == [
        "Aile avant droite",
        "Peinture",
        "Vernis",
    ]
