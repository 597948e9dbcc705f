"""In Chromium: the garage answers a checklist item from a phone (360 px, with htmx), the
expert ticks it from the workspace, and the dossier's waits move from the garage to the firm
and away."""

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from connect.checklists.models import ItemStatus, RequestItem
from connect.checklists.services import ItemSpec, create_request
from connect.deadlines.sources import WaitKind, open_waits
from connect.documents import samples
from connect.dossiers import touch
from connect.dossiers.models import Ball, Dossier
from connect.staff import second_factor as sf
from connect.testing import log_in, log_out


def checklist_waits(dossier):
    return [(w.kind, w.label) for w in open_waits([dossier.pk]) if w.key.startswith("request")]


def assert_ball(dossier, expected):
    """Dossier.ball is derived by the clock (connect/deadlines), a touch listener: asserted
    once that engine is merged and listening; the waits above are asserted in any case."""
    if touch.DOSSIER_LISTENERS:
        assert Dossier.objects.get(pk=dossier.pk).ball == expected


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_repairer_answers_an_item_from_a_phone_and_the_expert_ticks_it(
    live_server, page, world, tmp_path
):
    device = sf.enrol_with_secret(world.expert, "JBSWY3DPEHPK3PXP")
    dossier = world.dossier_a
    create_request(dossier=dossier, by=world.expert, items=[ItemSpec("Photo ¾ avant droit")])
    assert checklist_waits(dossier) == [(WaitKind.COMPLEMENT_REQUESTED, "Photo ¾ avant droit")]
    assert_ball(dossier, Ball.GARAGE)

    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    checklist = page.get_by_role("region", name=re.compile("Compléments demandés"))
    expect(checklist).to_contain_text("1 à fournir")
    expect(checklist).to_contain_text("Photo ¾ avant droit")
    # An empty answer: the item says why, in place, and nothing is sent.
    checklist.get_by_role("button", name="Envoyer la réponse").click()
    expect(checklist.get_by_role("alert")).to_contain_text("Joignez un fichier ou écrivez une note")
    assert RequestItem.objects.get().status == ItemStatus.REQUESTED
    picture = tmp_path / "avant-droit.jpg"
    picture.write_bytes(samples.jpeg())
    files = checklist.get_by_label("Fichiers (photo ou PDF)")
    assert files.get_attribute("accept") == "image/*,application/pdf"
    files.set_input_files(str(picture))
    checklist.get_by_label(re.compile("^Note")).fill("Vue prise ce matin")
    checklist.get_by_role("button", name="Envoyer la réponse").click()
    # htmx swapped the item in place: its state in words, no form left.
    expect(checklist.get_by_role("status")).to_contain_text("votre réponse est envoyée")
    expect(checklist).to_contain_text("Répondu, à vérifier")
    expect(checklist.get_by_role("button", name="Envoyer la réponse")).to_have_count(0)
    assert page.url == f"{live_server.url}/dossiers/{dossier.code}/"  # no reload
    expect(page.locator(".flash-list")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert checklist_waits(dossier) == [(WaitKind.COMPLEMENT_CHECK, "Photo ¾ avant droit")]
    assert_ball(dossier, Ball.FIRM)
    log_out(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, world.expert)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code de vérification").fill(f"{code:06d}")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("heading", name="Espace cabinet")).to_be_visible()
    page.goto(f"{live_server.url}/espace/dossiers/{dossier.code}/complements/")
    expect(page.get_by_text("Vue prise ce matin")).to_be_visible()
    expect(page.get_by_role("link", name="avant-droit.jpg")).to_be_visible()
    page.get_by_role("button", name="Marquer « Photo ¾ avant droit » reçu").click()
    expect(page.get_by_text("« Photo ¾ avant droit » est marqué reçu.")).to_be_visible()

    assert RequestItem.objects.get().status == ItemStatus.RECEIVED
    assert checklist_waits(dossier) == []
    assert_ball(dossier, "")
