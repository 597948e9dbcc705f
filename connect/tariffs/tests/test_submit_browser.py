"""In Chromium: "Ajouter des forfaits" adds rows in place and the attached board stays."""

import pytest
from playwright.sync_api import expect

from connect.documents import samples
from connect.tariffs.models import RateCard
from connect.testing import log_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_adding_flat_rates_keeps_the_attached_board(live_server, page, world, tmp_path):
    board = tmp_path / "panneau.jpg"
    board.write_bytes(samples.jpeg((800, 600), label="Panneau"))
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/tarifs/{world.garage_a.pk}/transmettre/")
    from connect.tariffs.tests.factories import form_data

    for name, value in form_data().items():
        if name.startswith("forfaits") or name == "board_upload":
            continue
        field = page.locator(f"[name={name}]")
        if field.first.evaluate("(el) => el.type") == "radio":
            page.locator(f"[name={name}][value={value}]").check()
        elif field.first.evaluate("(el) => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_label("Photo ou PDF de votre panneau d'affichage des prix").set_input_files(
        str(board)
    )
    rows = page.locator("[data-flat-rates] .flat-rate-row")
    before = rows.count()
    page.get_by_role("button", name="Ajouter des forfaits").click()
    expect(rows).to_have_count(before + 3)
    assert page.locator("input[name=board_upload]").evaluate("(input) => input.files.length") == 1
    rows.nth(before + 2).get_by_label("Libellé du forfait").fill("Lustrage")
    rows.nth(before + 2).get_by_label("Prix").fill("45")
    page.get_by_role("button", name="Transmettre").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Transmettre vos tarifs publics")
    card = RateCard.objects.get()
    assert ("Lustrage", 45) in [(r.label, r.price) for r in card.flat_rates.all()]
