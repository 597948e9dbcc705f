"""The guided capture on a 360 px phone, in Chromium: shots in turn, the phone's own verdict
(a too-dark photo is refused before sending), a missing required shot blocks the send button,
then the message goes with its provenance, which the expert reads; axe finds nothing serious."""

import pytest
from django.test import Client

from connect.documents.models import Document, ShotList
from connect.documents.provenance import HASH_SAME
from connect.documents.shots import seed_defaults
from connect.documents.tests import photos
from connect.messaging.models import Thread
from connect.testing import axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_session(context, live_server, user):
    client = login_as(Client(), user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def fits(page, width=360):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_guided_capture_blocks_a_missing_shot_and_a_dark_photo_then_sends_with_provenance(
    live_server, page, context, world, tmp_path
):
    seed_defaults()  # a transactional test starts from a flushed database
    dossier = world.dossier_a
    shots = [shot.key for shot in ShotList.objects.get(subject="esd").shots.all()]
    files = {}
    for index, key in enumerate(shots):
        files[key] = tmp_path / f"{key}.jpg"
        files[key].write_bytes(photos.good(seed=index))
    dark = tmp_path / "compteur-sombre.jpg"
    dark.write_bytes(photos.dark())
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": 48.8566, "longitude": 2.3522})
    open_session(context, live_server, world.repairer)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/?objet=esd")

    page.get_by_label("Joindre ma position aux photos (facultatif)").check()
    page.get_by_text("Position jointe aux photos prises désormais.").wait_for()
    # Every shot but the odometer, each through its own camera input.
    for key in shots:
        if key == "compteur":
            continue
        page.set_input_files(f"#shot-{key}", str(files[key]))
        page.locator(f"[data-shot='{key}'][data-state='done']").wait_for()
    assert page.locator("[data-shot='plaque'] .capture-shot__verdict").inner_text() == (
        "Photo conforme : assez nette, lumineuse et grande."
    )
    # Read off the photo, never pre-filled (issue 24, item 25): the repairer types it.
    assert page.get_by_label("Immatriculation lue sur la photo de la plaque").input_value() == ""
    page.get_by_label("Immatriculation lue sur la photo de la plaque").fill(dossier.plate)
    missing = page.locator("[data-capture-missing]")
    assert "Compteur" in missing.inner_text()
    page.get_by_role("button", name="Envoyer").click()
    assert missing.inner_text() == "Photos obligatoires manquantes : Compteur."
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Prendre la photo : Compteur"
    )
    assert not Thread.objects.exists()

    # A too-dark odometer: refused on the phone, still missing, the send still blocked.
    page.set_input_files("#shot-compteur", str(dark))
    verdict = page.locator("[data-shot='compteur'] .capture-shot__verdict")
    verdict.wait_for()
    assert verdict.inner_text() == "Refusée : Photo trop sombre : reprenez-la avec plus de lumière."
    assert verdict.get_attribute("role") == "alert"
    page.get_by_role("button", name="Envoyer").click()
    assert missing.inner_text() == "Photos obligatoires manquantes : Compteur."
    assert not Thread.objects.exists()
    assert fits(page)
    serious = axe_violations(page)
    assert serious == [], serious

    # Retake: good this time; then send.
    page.get_by_role("button", name="Reprendre la photo Compteur").click()  # opens the chooser
    page.set_input_files("#shot-compteur", str(files["compteur"]))
    page.locator("[data-shot='compteur'][data-state='done']").wait_for()
    assert missing.inner_text() == ""
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{dossier.code}/messages/*/")

    documents = {document.shot: document for document in Document.objects.all()}
    assert sorted(documents) == sorted(shots)
    for document in documents.values():
        # The phone hashed the bytes it sent: the hash on arrival matches.
        assert document.sha256_capture == document.sha256
        assert document.captured_at is not None
        assert (float(document.latitude), float(document.longitude)) == (48.8566, 2.3522)
    assert documents["plaque"].confirmed_plate == dossier.plate

    # The expert reads the evidence on the dossier page, on a phone too.
    expert_context = page.context.browser.new_context()
    expert_page = expert_context.new_page()
    open_session(expert_context, live_server, world.expert)
    expert_page.set_viewport_size({"width": 360, "height": 740})
    expert_page.goto(f"{live_server.url}/dossiers/{dossier.code}/")
    evidence = expert_page.locator("[data-provenance]")
    assert evidence.count() == len(shots)
    assert all(text.endswith(", " + HASH_SAME) for text in evidence.all_inner_texts())
    assert all(text.startswith("Photo prise le ") for text in evidence.all_inner_texts())
    assert fits(expert_page)
    assert axe_violations(expert_page) == []
    expert_context.close()


def test_the_phone_gives_the_servers_verdict_and_keeps_the_shots_after_a_refusal(
    live_server, page, context, world, tmp_path
):
    """Blurred and too-small photos read as the server reads them (same measures, close
    figures); a refusal only the server makes (plate not confirmed) re-renders the composer
    with every shot still taken, and the corrected message goes."""
    from connect.documents import quality

    seed_defaults()
    dossier = world.dossier_a
    shots = [shot.key for shot in ShotList.objects.get(subject="esd").shots.all()]
    open_session(context, live_server, world.repairer)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/?objet=esd")
    verdict = page.locator("[data-shot='vin'] .capture-shot__verdict")
    box = page.locator("[data-shot='vin'] .capture-shot__photo")
    for name, data, expected in (
        ("flou.jpg", photos.blurred(), quality.BLURRED),
        ("petit.jpg", photos.small(), "Photo trop petite (640 × 480 pixels, 1024 × 720 au moins)"),
        ("net.jpg", photos.good(seed=3), None),
    ):
        path = tmp_path / name
        path.write_bytes(data)
        page.set_input_files("#shot-vin", str(path))
        page.locator("[data-shot='vin'] img[src^='blob:']").wait_for()
        page.wait_for_function(
            "document.querySelector(\"[data-shot='vin']\").dataset.state !== 'todo'"
        )
        text = verdict.inner_text()
        if expected:
            assert text.startswith(f"Refusée : {expected}"), text
        else:
            assert text.startswith("Photo conforme"), text
        server = quality.check_photo(photos.upload(data)).measures
        # Canvas and Pillow downscale differently: the figures agree closely, not exactly.
        assert abs(float(box.get_attribute("data-luminance")) - server.luminance) < 3
        sharpness = float(box.get_attribute("data-sharpness"))
        assert abs(sharpness - server.sharpness) <= max(5, server.sharpness * 0.35), (
            name,
            sharpness,
            server.sharpness,
        )
        if expected:
            page.get_by_role("button", name="Retirer la photo N° de série (VIN)").click()

    for index, key in enumerate(shots):
        if key == "vin":
            continue
        path = tmp_path / f"{key}.jpg"
        path.write_bytes(photos.good(seed=index))
        page.set_input_files(f"#shot-{key}", str(path))
        page.locator(f"[data-shot='{key}'][data-state='done']").wait_for()
    plate = page.get_by_label("Immatriculation lue sur la photo de la plaque")
    plate.fill("")
    # A browser without the phone's queue (no IndexedDB) posts the message itself: the server's
    # refusal comes back into the composer, the shots kept. (Queued, it is listed as refused.)
    page.evaluate("document.querySelector('form[data-composer]').removeAttribute('data-queue')")
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("Confirmez l'immatriculation lue sur la photo « Plaque »").first.wait_for()
    assert not Thread.objects.exists()
    assert page.locator("[data-shot][data-state='done']").count() == len(shots)
    assert fits(page)
    assert axe_violations(page, impacts=None) == []  # a form with errors: no violation at all
    page.get_by_label("Immatriculation lue sur la photo de la plaque").fill("GG-010-MZ")
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{dossier.code}/messages/*/")
    assert Document.objects.filter(shot__in=shots).count() == len(shots)
    assert Document.objects.get(shot="plaque").confirmed_plate == "GG-010-MZ"


def test_without_javascript_each_shot_is_a_camera_input_the_server_checks(
    live_server, browser, world, tmp_path
):
    seed_defaults()
    dossier = world.dossier_a
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    open_session(context, live_server, world.repairer)
    page.goto(f"{live_server.url}/dossiers/{dossier.code}/messages/nouveau/?objet=esd")
    required = [s for s in ShotList.objects.get(subject="esd").shots.all() if s.required]
    dark = tmp_path / "sombre.jpg"
    dark.write_bytes(photos.dark())
    for index, shot in enumerate(required):
        path = tmp_path / f"{shot.key}.jpg"
        path.write_bytes(photos.good(seed=index))
        page.get_by_label(shot.label, exact=True).set_input_files(
            str(dark if shot.key == "compteur" else path)
        )
    assert fits(page)
    # Typed from the photo: never pre-filled (issue 24, item 25).
    page.get_by_label("Immatriculation lue sur la photo de la plaque").fill(dossier.plate)
    page.get_by_role("button", name="Envoyer").click()
    page.get_by_text("« Compteur » : Photo trop sombre").wait_for()
    assert not Thread.objects.exists()
    # The files are not kept by a plain form after a refusal: take them again.
    for shot in required:
        page.get_by_label(shot.label, exact=True).set_input_files(str(tmp_path / f"{shot.key}.jpg"))
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_url(f"{live_server.url}/dossiers/{dossier.code}/messages/*/")
    documents = Document.objects.filter(shot__in=[s.key for s in required])
    assert documents.count() == len(required)
    assert all(d.provenance_text.endswith("empreinte d'origine absente") for d in documents)
    context.close()
