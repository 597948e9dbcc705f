"""The walk of issue 24: a garage on a 390 px phone and an expert on a desktop go through a
request, a supplement, an invoice and an ESD, and at each step the portal says what is true —
who has the ball, the amounts as typed in French, the invoice's state, the plate read off the
photo. Screenshots of both sides under /tmp/walk/ (the closing note's record of the walk)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from connect.checklists.models import ItemStatus, RequestItem
from connect.documents import samples
from connect.documents.models import ShotList
from connect.documents.shots import seed_defaults
from connect.documents.tests import photos
from connect.invoices.models import Invoice, InvoiceState
from connect.messaging.models import Thread
from connect.supplements.models import Supplement
from connect.testing import axe_violations, login_as, run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/walk")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def session(browser, live_server, user, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR", service_workers="block")
    cookie = login_as(Client(), user).cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return context.new_page()


def shot(page, name, width):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    assert axe_violations(page) == [], name


def chip(page):
    """The dossier's "À qui la main" line, as its page shows it."""
    return page.locator(".ball").first


def test_a_garage_on_a_phone_and_an_expert_on_a_desktop_walk_through_wave_2(
    live_server, browser, world, tmp_path
):
    seed_defaults()  # the guided capture's shot lists (a transactional test starts empty)
    dossier = world.dossier_a
    dossier.repair_amount = Decimal("11008.76")
    dossier.save(update_fields=["repair_amount"])
    garage = session(browser, live_server, world.repairer, PHONE)
    expert = session(browser, live_server, world.expert, DESKTOP)
    url = live_server.url
    dossier_url = f"{url}/dossiers/{dossier.code}/"

    # 1. The expert asks for two items; the garage owes them, and its phone says so.
    expert.goto(f"{url}{reverse('checklists:staff_checklist', kwargs={'code': dossier.code})}")
    expert.locator("#id_label_0").fill("Photo ¾ avant droit")
    expert.locator("#id_type_0").select_option("photo")
    expert.locator("#id_label_1").fill("Numéro de série")
    expert.get_by_role("button", name="Envoyer la demande au garage").click()
    expect(expert.get_by_text("Photo ¾ avant droit").first).to_be_visible()
    shot(expert, "01-expert-request", DESKTOP["width"])
    garage.goto(dossier_url)
    expect(chip(garage)).to_contain_text("À vous")
    checklist = garage.get_by_role("region", name=re.compile("Compléments demandés"))
    expect(checklist.get_by_role("heading")).to_contain_text("2 à fournir")
    shot(garage, "02-garage-request", PHONE["width"])
    items = checklist.locator(".checklist-item")
    items.nth(0).get_by_label("Photos").set_input_files(
        files=[{"name": "avant-droit.jpg", "mimeType": "image/jpeg", "buffer": photos.good()}]
    )
    items.nth(0).get_by_role("button", name="Envoyer la réponse").click()
    expect(checklist.get_by_role("heading")).to_contain_text("1 à fournir")
    checklist.locator(".checklist-item").nth(1).get_by_label(re.compile("^Note")).fill("SN 4471")
    checklist.locator(".checklist-item").nth(1).get_by_role(
        "button", name="Envoyer la réponse"
    ).click()
    expect(checklist.get_by_role("heading")).not_to_contain_text("à fournir")
    # Everything sent: the firm checks now, and its wait starts at the answer.
    expect(chip(garage)).to_contain_text("Chez BCA")
    shot(garage, "03-garage-answered", PHONE["width"])
    run_tasks()  # thumbnails
    expert.reload()
    expect(expert.locator("img.staff-thumb")).to_have_count(1)
    for label in ("Photo ¾ avant droit", "Numéro de série"):
        expert.get_by_role("button", name=f"Marquer « {label} » reçu").click()
    assert set(RequestItem.objects.values_list("status", flat=True)) == {ItemStatus.RECEIVED}
    shot(expert, "04-expert-received", DESKTOP["width"])

    # 2. A supplement typed in French with its lines; the expert grants part of it.
    garage.goto(f"{dossier_url}messages/nouveau/?objet=methodologie")
    garage.get_by_label("Poste 1", exact=True).fill("Aile avant droite")
    garage.get_by_label("Montant HT du poste 1 (€)").fill("320,00")
    garage.get_by_label("Poste 2", exact=True).fill("Peinture")
    garage.get_by_label("Montant HT du poste 2 (€)").fill("1 930,5")
    expect(garage.locator("[data-lines-total]")).to_have_text("2\u202f250,50")
    garage.fill("#id_body", "Dommages découverts au démontage")
    picture = tmp_path / "aile.jpg"
    picture.write_bytes(photos.good(seed=3))
    garage.set_input_files("#id_files", str(picture))
    garage.get_by_role("button", name="Envoyer").click()
    garage.wait_for_url("**/messages/*/")
    supplement = Supplement.objects.get()
    assert supplement.amount == Decimal("2250.50")
    shot(garage, "05-garage-supplement", PHONE["width"])

    expert.goto(f"{url}{reverse('supplements:staff_supplements', kwargs={'code': dossier.code})}")
    expert.get_by_label("Accepté en partie").check()
    expert.get_by_label("Montant HT accordé (accord partiel)").fill("2 000,00")
    expert.get_by_label("Motif").fill("Peinture au barème")
    expert.get_by_role("button", name="Enregistrer la décision").click()
    expect(expert.get_by_text("2\u202f000,00 € HT accordés").first).to_be_visible()
    shot(expert, "06-expert-supplement", DESKTOP["width"])
    garage.reload()
    expect(garage.get_by_text("2\u202f000,00 € HT accordés sur 2\u202f250,50 € HT")).to_be_visible()
    expect(garage.get_by_text(re.compile("réponse prévue"))).to_have_count(0)
    shot(garage, "07-garage-supplement-decided", PHONE["width"])

    # 3. The invoice: sent with no amount, validated against the agreed total, then paid.
    invoice_pdf = tmp_path / "facture.pdf"
    invoice_pdf.write_bytes(samples.pdf("Facture 2026-118"))
    garage.goto(f"{dossier_url}messages/nouveau/?objet=facture")
    garage.set_input_files("#id_files", str(invoice_pdf))
    garage.get_by_role("button", name="Envoyer").click()
    garage.wait_for_url("**/messages/*/")
    invoice = Invoice.objects.get()
    garage.goto(f"{url}{reverse('invoices:mine')}")
    expect(garage.get_by_text("montant non déclaré").first).to_be_visible()
    shot(garage, "08-garage-invoices", PHONE["width"])

    invoice_url = f"{url}{reverse('invoices:staff_invoice', kwargs={'invoice_code': invoice.code})}"
    expert.goto(invoice_url)
    # 11 008,76 + 2 000,00 accepted = 13 008,76 € HT agreed. A slip of the comma is caught.
    expert.get_by_label("Montant HT (€)").fill("1 300 876")
    expert.get_by_role("button", name="Valider la facture").click()
    expect(expert.get_by_label("Je confirme ce montant")).to_be_visible()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.RECEIVED
    shot(expert, "09-expert-invoice-confirm", DESKTOP["width"])
    expert.get_by_label("Montant HT (€)").fill("13 008,76")
    expert.get_by_role("button", name="Valider la facture").click()
    expect(expert.get_by_text(re.compile("validée", re.I)).first).to_be_visible()
    invoice.refresh_from_db()
    assert (invoice.state, invoice.amount_excl_vat) == (InvoiceState.VALIDATED, Decimal("13008.76"))
    expert.get_by_label("Date du paiement").fill("2026-12-04")
    expert.get_by_label("Montant payé (€)").fill("0,00")
    expert.get_by_role("button", name="Enregistrer le paiement").click()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.VALIDATED  # nothing paid is no payment
    expert.get_by_label("Montant payé (€)").fill("15 610,51")
    expert.get_by_label("Référence du paiement").fill("VIR-1187")
    expert.get_by_role("button", name="Enregistrer le paiement").click()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID and invoice.paid_amount == Decimal("15610.51")
    shot(expert, "10-expert-invoice-paid", DESKTOP["width"])
    garage.goto(dossier_url)
    expect(garage.get_by_text("Facture attendue")).to_have_count(0)
    garage.goto(f"{url}{reverse('invoices:mine')}")
    expect(garage.get_by_text("15\u202f610,51 €").first).to_be_visible()
    shot(garage, "11-garage-invoice-paid", PHONE["width"])

    # 4. An ESD through the guided capture: the plate is typed off the photo, never pre-filled;
    # a plate that is not the dossier's reaches the expert flagged.
    dossier.ve_procedure = True
    dossier.save(update_fields=["ve_procedure"])
    shots = [s.key for s in ShotList.objects.get(subject="esd").shots.filter(required=True)]
    garage.goto(f"{dossier_url}messages/nouveau/?objet=esd")
    for index, key in enumerate(shots):
        path = tmp_path / f"{key}.jpg"
        path.write_bytes(photos.good(seed=10 + index))
        garage.set_input_files(f"#shot-{key}", str(path))
        garage.locator(f"[data-shot='{key}'][data-state='done']").wait_for()
    plate = garage.get_by_label("Immatriculation lue sur la photo de la plaque")
    assert plate.input_value() == ""
    plate.fill("GG-010-MX")  # the dossier's car is GG-010-MZ: not the same car
    shot(garage, "12-garage-esd", PHONE["width"])
    garage.get_by_role("button", name="Envoyer").click()
    garage.wait_for_url("**/messages/*/")
    esd = Thread.objects.get(subject="esd")
    expert.goto(f"{url}{reverse('staff:thread', args=[esd.code])}")
    expect(expert.get_by_text(re.compile("GG-010-MX")).first).to_be_visible()
    shot(expert, "13-expert-esd", DESKTOP["width"])
    expert.set_viewport_size(PHONE)
    expert.reload()
    shot(expert, "14-expert-esd-phone", PHONE["width"])
