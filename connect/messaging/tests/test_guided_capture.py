"""Guided capture through the composer: required shots, server-side quality refusals, the
plate confirmed, provenance stored and shown to the expert, isolation between garages."""

import hashlib
import uuid

import pytest
from django.urls import reverse

from connect.documents.models import Document, DocumentType, ShotList
from connect.documents.provenance import HASH_DIFFERENT, HASH_SAME
from connect.documents.tests import photos
from connect.messaging.models import Message, Thread
from connect.messaging.subjects import BY_KEY
from connect.messaging.tests.helpers import compose_url, photo, post_new, required_shots
from connect.testing import login_as

ESD_REQUIRED = ["plaque", "avant-gauche", "arriere-droit", "compteur", "vin", "zone-endommagee"]


def nothing_stored():
    return not (Thread.objects.exists() or Message.objects.exists() or Document.objects.exists())


def phone_post(client, dossier, shots, *, plate=None, extra=None):
    """What capture.js sends: `files` with the parallel lists, one entry per photo."""
    files, lists = (
        [],
        {"shot": [], "captured_at": [], "latitude": [], "longitude": [], "sha256": [], "types": []},
    )
    for index, (key, data) in enumerate(shots):
        files.append(photos.upload(data, f"{key}-{index}.jpg"))
        lists["shot"].append(key)
        lists["captured_at"].append("2026-03-12T09:42:00.000Z")
        lists["latitude"].append("48.8566")
        lists["longitude"].append("2.3522")
        lists["sha256"].append(hashlib.sha256(data).hexdigest())
        lists["types"].append("")
    data = {"objet": "esd", "token": str(uuid.uuid4()), "files": files, **lists, **(extra or {})}
    data["plate"] = dossier.plate if plate is None else plate
    return client.post(compose_url(dossier), data)


def all_shots(**replaced):
    return [(key, replaced.get(key) or photos.good(seed=i)) for i, key in enumerate(ESD_REQUIRED)]


@pytest.mark.django_db
def test_shot_lists_name_messaging_subjects():
    for shot_list in ShotList.objects.all():
        assert shot_list.subject in BY_KEY
        assert BY_KEY[shot_list.subject].accepts_photos


def test_the_esd_composer_lists_each_shot_with_its_instruction_and_the_plate(as_repairer, dossier):
    page = as_repairer.get(compose_url(dossier, "esd")).content.decode()
    for key in ESD_REQUIRED:
        assert f'name="shot-{key}"' in page
    assert 'capture="environment"' in page and "Reculez de trois à quatre mètres" in page
    # The plate is read off the photo: never pre-filled with the dossier's (issue 24, item 25).
    assert 'name="plate"' in page and f'value="{dossier.plate}"' not in page
    assert "data-thresholds" in page and "minLuminance" in page


def test_a_missing_required_shot_is_refused_and_named(as_repairer, dossier):
    shots = [(key, data) for key, data in all_shots() if key not in ("compteur", "vin")]
    response = phone_post(as_repairer, dossier, shots)
    assert response.status_code == 400
    assert "Photos obligatoires manquantes : Compteur, N° de série (VIN)." in (
        response.content.decode()
    )
    assert nothing_stored()


@pytest.mark.parametrize(
    "bad,message",
    [
        (photos.dark, "« Compteur » : Photo trop sombre : reprenez-la avec plus de lumière."),
        (photos.blurred, "« Compteur » : Photo floue : tenez le téléphone immobile"),
        (photos.small, "« Compteur » : Photo trop petite (640 × 480 pixels"),
    ],
    ids=["dark", "blurred", "small"],
)
def test_a_poor_shot_photo_refuses_the_message_and_stores_nothing(
    as_repairer, dossier, bad, message
):
    response = phone_post(as_repairer, dossier, all_shots(compteur=bad()))
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert nothing_stored()


def test_the_no_js_form_is_checked_alike(as_repairer, dossier):
    shots = required_shots("esd", dossier)
    shots["shot-plaque"] = photos.upload(photos.dark(), "plaque.jpg")
    response = post_new(as_repairer, dossier, "esd", **shots)
    assert response.status_code == 400
    assert "« Plaque » : Photo trop sombre" in response.content.decode()
    assert nothing_stored()


def test_the_plate_must_be_confirmed_when_its_shot_is_sent(as_repairer, dossier):
    response = phone_post(as_repairer, dossier, all_shots(), plate="")
    assert response.status_code == 400
    assert "Confirmez l&#x27;immatriculation lue sur la photo « Plaque »." in (
        response.content.decode()
    )
    assert nothing_stored()


def test_one_photo_per_shot_unless_several_are_allowed(as_repairer, dossier):
    doubled = [*all_shots(), ("vin", photos.good(seed=20))]
    response = phone_post(as_repairer, dossier, doubled)
    assert response.status_code == 400
    assert "Une seule photo par prise de vue : N° de série (VIN)." in response.content.decode()
    several = [*all_shots(), ("zone-endommagee", photos.good(seed=21))]
    assert phone_post(as_repairer, dossier, several).status_code == 302
    assert Document.objects.filter(shot="zone-endommagee").count() == 2


def test_an_unknown_shot_key_is_refused(as_repairer, dossier):
    response = phone_post(as_repairer, dossier, [*all_shots(), ("portiere", photos.good())])
    assert response.status_code == 400
    assert "Prise de vue inconnue" in response.content.decode()
    assert nothing_stored()


def test_provenance_is_stored_per_photo(as_repairer, dossier):
    shots = all_shots()
    response = phone_post(
        as_repairer,
        dossier,
        shots,
        plate="gg-010-mz",
        extra={
            "files_extra": "",
            "body": "Voici les photos.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    documents = {d.shot: d for d in Document.objects.all()}
    assert set(documents) == set(ESD_REQUIRED)
    for key, data in shots:
        document = documents[key]
        assert document.sha256_capture == hashlib.sha256(data).hexdigest() == document.sha256
        assert document.doc_type == DocumentType.PHOTO
        assert str(document.latitude) == "48.856600" and str(document.longitude) == "2.352200"
        assert document.captured_at.isoformat() == "2026-03-12T09:42:00+00:00"
    assert documents["plaque"].confirmed_plate == "GG-010-MZ"
    assert documents["compteur"].confirmed_plate == ""
    assert documents["vin"].shot_label == "N° de série (VIN)"


def test_a_hash_that_differs_on_arrival_reads_modified(as_repairer, dossier):
    shots = all_shots()
    response = phone_post(as_repairer, dossier, shots)
    assert response.status_code == 302
    Document.objects.filter(shot="vin").update(sha256_capture="0" * 64)
    assert Document.objects.get(shot="vin").provenance_text.endswith(", " + HASH_DIFFERENT)
    assert Document.objects.get(shot="plaque").provenance_text.endswith(", " + HASH_SAME)


def test_the_expert_sees_the_provenance_on_the_dossier_and_thread_pages(client, world, dossier):
    login_as(client, world.repairer)
    assert phone_post(client, dossier, all_shots()).status_code == 302
    thread = Thread.objects.get()
    login_as(client, world.expert)
    pages = [
        reverse("dossier_detail", kwargs={"code": dossier.code}),
        reverse("staff:dossier_documents", kwargs={"code": dossier.code}),
        reverse("staff:thread", kwargs={"staff_thread_code": thread.code}),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert "Photo prise le 12/03 à 10:42 selon le téléphone, reçue par le portail " in page, url
        assert ", " + HASH_SAME in page, url
        assert "Immatriculation confirmée par le réparateur : GG-010-MZ" in page, url
        assert "Position : 48.85660, 2.35220" in page, url


def test_another_garage_cannot_see_a_captured_photo(client, world, dossier):
    login_as(client, world.repairer)
    assert phone_post(client, dossier, all_shots()).status_code == 302
    document = Document.objects.get(shot="plaque")
    login_as(client, world.other_repairer)
    dossier_page = reverse("dossier_detail", kwargs={"code": dossier.code})
    file_url = reverse(
        "document_file", kwargs={"code": dossier.code, "document_code": document.code}
    )
    assert client.get(dossier_page).status_code == 404
    assert client.get(file_url).status_code == 404
    assert client.get(compose_url(dossier, "esd")).status_code == 404


def test_extra_photos_beside_the_shots_are_not_quality_checked(as_repairer, dossier):
    response = post_new(
        as_repairer, dossier, "esd", files=[photo("detail.jpg")], **required_shots("esd", dossier)
    )
    assert response.status_code == 302
    assert Document.objects.get(original_name="detail.jpg").shot == ""


def test_a_reply_in_a_thread_asks_for_no_shot(as_repairer, dossier):
    assert phone_post(as_repairer, dossier, all_shots()).status_code == 302
    thread = Thread.objects.get()
    url = reverse("messaging:reply", kwargs={"code": dossier.code, "thread_code": thread.code})
    response = as_repairer.post(
        url, {"token": str(uuid.uuid4()), "body": "Une précision.", "files": [photo()]}
    )
    assert response.status_code == 302
    assert thread.messages.count() == 2


def test_a_staff_edit_of_the_list_is_what_the_server_requires(as_repairer, dossier):
    ShotList.objects.get(subject="esd").shots.exclude(key="plaque").update(required=False)
    response = phone_post(as_repairer, dossier, [("plaque", photos.good())])
    assert response.status_code == 302
    ShotList.objects.filter(subject="esd").update(active=False)
    response = post_new(as_repairer, dossier, "esd", files=[photo()])
    assert response.status_code == 302  # no list: ESD is a plain photo message again


def test_a_phone_photo_outside_the_shots_keeps_its_facts_but_a_photo_made_pdf_does_not(
    as_repairer, dossier
):
    data = photos.good(seed=30)
    digest = hashlib.sha256(data).hexdigest()
    facts = {
        "shot": [""],
        "captured_at": ["2026-03-12T09:42:00Z"],
        "sha256": [digest],
        "latitude": [""],
        "longitude": [""],
    }
    response = post_new(
        as_repairer,
        dossier,
        "expert",
        body="Le choc",
        files=[photos.upload(data, "choc.jpg")],
        types=["devis"],
        **facts,
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.shot, document.sha256_capture) == ("", digest)
    assert document.provenance_text.endswith(", " + HASH_SAME)
    invoice = post_new(
        as_repairer, dossier, "facture", files=[photos.upload(data, "facture.jpg")], **facts
    )
    assert invoice.status_code == 302
    pdf = Document.objects.get(doc_type=DocumentType.REPAIR_INVOICE)
    assert pdf.is_pdf and pdf.sha256_capture == "" and pdf.captured_at is None


@pytest.mark.django_db
def test_the_demo_has_an_esd_request_whose_photos_read_intact(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "60", "--seed", "7", verbosity=0)
    threads = Thread.objects.filter(subject="esd")
    assert threads.count() == 2  # one per demo garage
    documents = Document.objects.filter(messages__thread__in=threads)
    assert documents.count() == 12
    assert all(d.provenance_text.endswith(", " + HASH_SAME) for d in documents)


def test_the_confirmed_plate_refuses_invisible_characters(as_repairer, dossier):
    response = phone_post(as_repairer, dossier, all_shots(), plate="GG-010\u200b-MZ")
    assert response.status_code == 400
    assert nothing_stored()
