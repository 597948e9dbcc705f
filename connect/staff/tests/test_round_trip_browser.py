"""In Chromium: a repairer asks for a field exam, the expert confirms it, the repairer sees it."""

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from connect.messaging.services import visit_dates
from connect.staff import second_factor as sf
from connect.testing import log_in, log_out


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_field_exam_round_trip(live_server, page, world):
    device = sf.enrol_with_secret(world.expert, "JBSWY3DPEHPK3PXP")
    dossier = world.dossier_a

    log_in(page, live_server, world.repairer)
    page.goto(
        f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/?objet=expertise-terrain"
    )
    page.get_by_label(re.compile("Date souhaitée")).select_option(index=1)
    page.get_by_label(re.compile("^Motif")).fill("Choc arrière, démontage prévu")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Choc arrière, démontage prévu")).to_be_visible()
    log_out(page)

    log_in(page, live_server, world.expert)
    expect(page.get_by_role("heading", name="Vérification en deux étapes")).to_be_visible()
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code de vérification").fill(f"{code:06d}")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Espace cabinet")).to_be_visible()
    page.get_by_role("link", name=re.compile("non lu")).click()
    page.get_by_role("link", name="Demande expertise terrain").click()
    page.get_by_label("Heure").fill("14:30")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_text("Examen confirmé : le garage est prévenu.")).to_be_visible()
    log_out(page)

    log_in(page, live_server, world.repairer)
    tabs = page.get_by_role("navigation", name="Onglets des dossiers")
    tabs.get_by_role("link", name=re.compile("Examens à venir")).click()
    rows = page.locator("tbody .dossier-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("99677")
    expect(rows.first).to_contain_text(f"{visit_dates(world.garage_a)[0]:%d/%m/%Y}")
