"""On a phone (390 px) with JavaScript, the composer sends through the queue: a supplement whose
0-byte attachment the server will not even start stays in the composer with its amount, its
lines and its message, and says which file to fix (it used to be cleared as if queued)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from connect.messaging.models import Message
from connect.messaging.tests.helpers import jpeg
from connect.supplements.models import Supplement
from connect.testing import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "service_workers": "block"}


def test_a_refused_attachment_keeps_what_was_typed(live_server, page, world, tmp_path):
    good, empty = tmp_path / "choc.jpg", tmp_path / "vide.jpg"
    good.write_bytes(jpeg((640, 480)))
    empty.write_bytes(b"")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, world.repairer)
    page.goto(
        f"{live_server.url}/dossiers/{world.dossier_a.code}/messages/nouveau/?objet=methodologie"
    )
    page.fill("#id_supplement_amount", "1 250,50")
    page.get_by_label("Poste 1", exact=True).fill("Aile avant droite")
    page.get_by_label("Montant HT du poste 1 (€)").fill("320,00")
    page.get_by_label("Poste 2", exact=True).fill("Peinture")
    page.get_by_label("Montant HT du poste 2 (€)").fill("930,50")
    page.fill("#id_body", "Dommages découverts au démontage")
    page.set_input_files("#id_files", [str(good), str(empty)])
    page.get_by_role("button", name="Envoyer").click()

    expect(page.get_by_role("alert").filter(has_text="vide.jpg")).to_be_visible()
    expect(page.locator("#id_supplement_amount")).to_have_value("1 250,50")
    expect(page.get_by_label("Poste 2", exact=True)).to_have_value("Peinture")
    expect(page.get_by_label("Montant HT du poste 2 (€)")).to_have_value("930,50")
    expect(page.locator("#id_body")).to_have_value("Dommages découverts au démontage")
    expect(page.locator(".file-list__name")).to_have_count(2)  # the files stay to fix
    expect(page.locator("[data-queue-region] [data-queue-state]")).to_have_count(0)
    assert not Supplement.objects.exists() and not Message.objects.exists()
    page.screenshot(path="/tmp/requests-shots/supplement-refused-file.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = [
        v["id"]
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
