"""On a phone (390 px): the checklist is one tap from the top of the dossier page, an answer
updates what is left to provide, and the expert's pages (check page, supplements, a thread)
read on a phone; axe finds nothing serious. Screenshots under /tmp/requests-shots/."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from connect.checklists.services import ItemSpec, answer_item, create_request
from connect.checklists.tests.helpers import photo
from connect.documents.models import DocumentType
from connect.documents.tests.photos import dark as dark_photo
from connect.documents.tests.photos import good as good_photo
from connect.messaging.services import open_thread
from connect.staff import second_factor as sf
from connect.supplements.services import SupplementDraft, decide_supplement
from connect.testing import log_in, run_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/requests-shots")
PHONE = {"width": 390, "height": 844}


def serious(page):
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_checklist_is_one_tap_from_the_top_and_its_count_follows(live_server, page, world):
    dossier = world.dossier_a
    items = [ItemSpec("Photo ¾ avant droit", DocumentType.PHOTO), ItemSpec("Numéro de série")]
    create_request(dossier=dossier, by=world.expert, items=items)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    jump = page.get_by_role("link", name=re.compile("Compléments demandés"))
    expect(jump).to_contain_text("2 à fournir")
    assert jump.bounding_box()["y"] + jump.bounding_box()["height"] <= PHONE["height"]
    shot(page, "dossier-top")
    jump.click()
    checklist = page.get_by_role("region", name=re.compile("Compléments demandés"))
    expect(checklist.get_by_role("heading")).to_be_in_viewport()
    item = checklist.locator(".checklist-item").nth(1)
    item.get_by_label(re.compile("^Note")).fill("SN 4471-AB")
    item.get_by_role("button", name="Envoyer la réponse").click()
    # Sent through the phone's queue, then the page again: the item answered, one left.
    expect(checklist.locator(".checklist-item").nth(1)).to_contain_text("Répondu, à vérifier")
    expect(checklist.get_by_role("status")).to_contain_text("votre réponse est envoyée")
    expect(checklist.get_by_role("heading")).to_contain_text("1 à fournir")
    expect(jump).to_contain_text("1 à fournir")
    expect(checklist.get_by_label("Photos")).to_have_attribute("accept", "image/*")
    shot(page, "dossier-checklist")
    assert serious(page) == []


def test_the_experts_pages_read_on_a_phone(live_server, page, world):
    device = sf.enrol_with_secret(world.expert, "JBSWY3DPEHPK3PXP")
    dossier = world.dossier_a
    dossier.repair_amount = Decimal("14931.00")
    dossier.save(update_fields=["repair_amount"])
    thread = open_thread(
        dossier=dossier,
        subject_key="methodologie",
        author=world.repairer,
        body="Dommages découverts au démontage",
        supplement=SupplementDraft(Decimal("1250.50")),
    ).thread
    request = create_request(
        dossier=dossier,
        by=world.expert,
        thread=thread,
        items=[ItemSpec("Photo ¾ avant droit", DocumentType.PHOTO)],
    )
    answer_item(item=request.items.get(), by=world.repairer, files=[photo()])
    decide_supplement(
        supplement=thread.supplements.get(),
        by=world.expert,
        outcome="partly",
        accepted_amount=Decimal("1000"),
        reason="Peinture au barème",
    )
    run_tasks()  # thumbnails

    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.expert, device=device)
    page.goto(f"{live_server.url}/espace/dossiers/{dossier.code}/complements/")
    expect(page.locator("img.staff-thumb")).to_have_count(1)
    expect(page.get_by_text("Demander d'autres éléments")).to_be_visible()
    shot(page, "staff-checklist")
    assert serious(page) == []
    page.goto(f"{live_server.url}/espace/dossiers/{dossier.code}/supplements/")
    expect(page.get_by_role("heading", name="Plafond des suppléments")).to_be_visible()
    shot(page, "staff-supplements")
    assert serious(page) == []
    page.goto(live_server.url + reverse("staff:thread", args=[thread.code]))
    expect(page.get_by_text("1\u202f000,00 € HT accordés sur 1\u202f250,50 € HT")).to_be_visible()
    expect(page.get_by_text("Compléments demandés depuis ce fil")).to_be_visible()
    shot(page, "staff-thread")
    assert serious(page) == []


def test_an_answer_sent_without_network_waits_on_the_phone_and_goes_when_it_returns(
    live_server, page, world
):
    dossier = world.dossier_a
    request = create_request(
        dossier=dossier,
        by=world.expert,
        items=[ItemSpec("Numéro de série"), ItemSpec("Photo ¾ avant droit", DocumentType.PHOTO)],
    )
    serial, photo_item = request.items.order_by("id")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    checklist = page.get_by_role("region", name=re.compile("Compléments demandés"))
    items = checklist.locator(".checklist-item")
    page.context.set_offline(True)
    # A note, then a photo: both kept on the phone, told so, the forms free again.
    items.nth(0).get_by_label(re.compile("^Note")).fill("SN 4471-AB")
    items.nth(0).get_by_role("button", name="Envoyer la réponse").click()
    expect(items.nth(0).get_by_role("status")).to_contain_text("gardée sur cet appareil")
    expect(items.nth(0).get_by_label(re.compile("^Note"))).to_have_value("")
    items.nth(1).get_by_label("Photos").set_input_files(
        files=[{"name": "avant.jpg", "mimeType": "image/jpeg", "buffer": good_photo()}]
    )
    items.nth(1).get_by_role("button", name="Envoyer la réponse").click()
    queue = page.locator("[data-queue-region]")
    expect(queue.locator("[data-queue-state]")).to_have_count(2)
    expect(queue).to_contain_text("Réponse « Numéro de série »")
    shot(page, "checklist-offline")
    assert serious(page) == []
    assert not serial.documents.exists() and not photo_item.documents.exists()

    page.context.set_offline(False)  # the network is back: the queue sends both, once
    expect(queue.locator("[data-queue-state='sent']")).to_have_count(2, timeout=30_000)
    serial.refresh_from_db()
    photo_item.refresh_from_db()
    assert serial.note == "SN 4471-AB" and serial.status == "answered"
    assert [d.original_name for d in photo_item.documents.all()] == ["avant.jpg"]
    page.reload()
    expect(checklist.get_by_role("heading")).not_to_contain_text("à fournir")


def test_a_refused_answer_says_why_and_keeps_its_photo(live_server, page, world):
    dossier = world.dossier_a
    create_request(
        dossier=dossier,
        by=world.expert,
        items=[ItemSpec("Photo ¾ avant droit", DocumentType.PHOTO)],
    )
    page.set_viewport_size(PHONE)
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    item = page.locator(".checklist-item").first
    button = item.get_by_role("button", name="Envoyer la réponse")
    item.get_by_label("Photos").set_input_files(
        files=[{"name": "nuit.jpg", "mimeType": "image/jpeg", "buffer": dark_photo()}]
    )
    button.dblclick()  # a double tap sends once
    expect(item.get_by_role("alert")).to_contain_text("nuit.jpg")
    assert item.get_by_label("Photos").evaluate("input => input.files.length") == 1
    assert not dossier.documents.exists()
    shot(page, "checklist-refused")
