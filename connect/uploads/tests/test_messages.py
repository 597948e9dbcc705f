"""A message names completed uploads: all its files complete and checked, or no message."""

import uuid

import pytest

from connect.documents.models import Document
from connect.documents.samples import jpeg, pdf
from connect.messaging.models import Message, Thread
from connect.testing import login_as
from connect.uploads.models import Upload, UploadState
from connect.uploads.tests.helpers import create, patch, send, stored_parts


@pytest.fixture
def dossier(world):
    # These tests are about the uploads, not the guided capture: the firm has switched the ESD
    # shot list off (test_guided_capture_uploads below sends the shots through uploads).
    from connect.documents.models import ShotList

    ShotList.objects.filter(subject="esd").update(active=False)
    world.dossier_a.ve_procedure = True
    world.dossier_a.save(update_fields=["ve_procedure"])
    return world.dossier_a


def post(client, dossier, codes, *, subject="esd", token=None, types=(), **extra):
    data = {
        "objet": subject,
        "body": "Photos du choc",
        "token": str(token or uuid.uuid4()),
        "upload": list(codes),
        "types": list(types),
        **extra,
    }
    return client.post(f"/dossiers/{dossier.code}/messages/nouveau/", data)


@pytest.fixture(autouse=True)
def _compose_url_is_what_we_post_to(dossier):
    from connect.messaging.tests.helpers import compose_url

    assert compose_url(dossier) == f"/dossiers/{dossier.code}/messages/nouveau/"


def test_a_message_takes_its_completed_uploads_in_order(
    as_repairer, dossier, django_capture_on_commit_callbacks
):
    first = send(as_repairer, dossier, jpeg((320, 240), label="avant"), "avant.jpg")
    second = send(as_repairer, dossier, pdf("devis"), "devis.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            as_repairer, dossier, [first, second], subject="expert", types=["diagnostic", "devis"]
        )
    assert response.status_code == 302, response.content.decode()
    message = Message.objects.get()
    names = sorted((d.original_name, d.doc_type) for d in message.documents.all())
    assert names == [("avant.jpg", "diagnostic"), ("devis.pdf", "devis")]
    assert set(Upload.objects.values_list("state", flat=True)) == {UploadState.CONSUMED}
    assert stored_parts() == []  # parts removed once the message committed


def test_an_unfinished_upload_means_no_message_at_all(as_repairer, dossier):
    done = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    data = jpeg((320, 240), label="b")
    url = create(as_repairer, dossier, data, "b.jpg")["Location"]
    patch(as_repairer, url, data[:500], 0, len(data))
    unfinished = url.rstrip("/").rsplit("/", 1)[1]
    response = post(as_repairer, dossier, [done, unfinished])
    assert response.status_code == 400
    assert "pas encore entièrement envoyé" in response.content.decode()
    assert not Message.objects.exists() and not Document.objects.exists()
    assert Upload.objects.get(code=done).state == UploadState.COMPLETE  # still usable


def test_a_resend_after_a_lost_answer_finds_the_message(as_repairer, dossier):
    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    token = uuid.uuid4()
    first = post(as_repairer, dossier, [code], token=token)
    again = post(as_repairer, dossier, [code], token=token)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Thread.objects.count() == Message.objects.count() == Document.objects.count() == 1


def test_an_upload_serves_one_message_only(as_repairer, dossier):
    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    assert post(as_repairer, dossier, [code]).status_code == 302
    second = post(as_repairer, dossier, [code])
    assert second.status_code == 400 and "déjà joint" in second.content.decode()
    assert Message.objects.count() == 1


def test_another_users_upload_cannot_be_attached(client, world, dossier):
    login_as(client, world.colleague)
    colleagues = send(client, dossier, jpeg((320, 240)), "a.jpg")
    login_as(client, world.repairer)
    response = post(client, dossier, [colleagues])
    assert response.status_code == 400 and "introuvable" in response.content.decode()
    assert not Message.objects.exists()
    assert Upload.objects.get().state == UploadState.COMPLETE


def test_an_upload_of_another_dossier_cannot_be_attached(as_repairer, world, dossier):
    other = world.dossier("99001", world.garage_a)
    code = send(as_repairer, other, jpeg((320, 240)), "a.jpg")
    response = post(as_repairer, dossier, [code])
    assert response.status_code == 400 and not Message.objects.exists()


def test_a_rejected_upload_says_why_and_blocks_the_message(as_repairer, dossier):
    data = b"%PDF-1.4 without its end"
    code = send(as_repairer, dossier, data, "devis.pdf")
    response = post(as_repairer, dossier, [code], subject="expert", types=["devis"])
    assert response.status_code == 400
    assert "incomplet ou endommagé" in response.content.decode()
    assert not Message.objects.exists()


def test_the_subjects_rules_apply_to_uploads_as_to_files(as_repairer, dossier):
    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    response = post(as_repairer, dossier, [code], subject="expert", types=["facture_reparations"])
    assert response.status_code == 400 and not Message.objects.exists()


def test_the_message_total_counts_uploads(as_repairer, dossier, settings):
    first = send(as_repairer, dossier, jpeg((320, 240), label="1"), "a.jpg")
    second = send(as_repairer, dossier, jpeg((320, 240), label="2"), "b.jpg")
    settings.MAX_UPLOAD_MESSAGE_BYTES = Upload.objects.get(code=first).size + 10
    response = post(as_repairer, dossier, [first, second])
    assert response.status_code == 400 and "par message" in response.content.decode()
    assert not Message.objects.exists()


def test_a_reply_takes_uploads_too(as_repairer, dossier):
    post(as_repairer, dossier, [], subject="divers")
    thread = Thread.objects.get()
    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    response = as_repairer.post(
        f"/dossiers/{dossier.code}/messages/{thread.code}/repondre/",
        {"body": "La suite", "token": str(uuid.uuid4()), "upload": [code], "types": ["autres"]},
    )
    assert response.status_code == 302
    assert thread.messages.count() == 2 and Document.objects.count() == 1


def test_a_failure_while_writing_the_message_keeps_the_uploads(as_repairer, dossier, monkeypatch):
    from connect.testing import fail_storage_save

    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    fail_storage_save(monkeypatch, at=1)
    response = post(as_repairer, dossier, [code])
    assert response.status_code == 400
    assert not Message.objects.exists()
    assert Upload.objects.get().state == UploadState.COMPLETE and stored_parts() != []


def test_guided_capture_uploads(as_repairer, world):
    """The phone's queue sends the guided shots as resumable uploads: the message checks them
    as it checks posted files (required shots, quality) and keeps each photo's provenance."""
    import hashlib

    from connect.documents.models import ShotList
    from connect.documents.tests import photos

    ShotList.objects.filter(subject="esd").update(active=True)  # off for the other tests
    dossier = world.dossier_a
    keys = ["plaque", "avant-gauche", "arriere-droit", "compteur", "vin", "zone-endommagee"]
    shots = [(key, photos.good(seed=index)) for index, key in enumerate(keys)]
    codes = [send(as_repairer, dossier, data, f"{key}.jpg", chunk=64_000) for key, data in shots]
    lists = {
        "shot": keys,
        "captured_at": ["2026-03-12T09:42:00.000Z"] * len(keys),
        "sha256": [hashlib.sha256(data).hexdigest() for _, data in shots],
        "latitude": [""] * len(keys),
        "longitude": [""] * len(keys),
    }

    missing = post(
        as_repairer, dossier, codes[1:], **{k: v[1:] for k, v in lists.items()}, plate=dossier.plate
    )
    assert missing.status_code == 400 and "Plaque" in missing.content.decode()
    assert not Message.objects.exists()

    sent = post(as_repairer, dossier, codes, **lists, plate=dossier.plate)
    assert sent.status_code == 302, sent.content.decode()
    documents = {document.shot: document for document in Document.objects.all()}
    assert set(documents) == set(keys)
    assert all(d.sha256_capture == d.sha256 for d in documents.values())
    assert documents["plaque"].confirmed_plate == dossier.plate.upper()


@pytest.mark.parametrize("path", ["sent", "refused", "throttled"])
def test_the_assembled_copies_are_removed_on_every_path(
    as_repairer, dossier, settings, tmp_path, path
):
    # The parts are joined into temporary files for the checks and the message
    # (uploads.services.named_uploads): whatever the answer, none is left behind.
    folder = tmp_path / "assembled"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    if path == "throttled":
        settings.UPLOADS_PER_USER_PER_HOUR = 0
    types = ["inconnu"] if path == "refused" else ["diagnostic"]
    response = post(as_repairer, dossier, [code], subject="expert", types=types)
    assert response.status_code == {"sent": 302, "refused": 400, "throttled": 429}[path]
    assert list(folder.iterdir()) == []


def test_named_uploads_closes_its_files_when_the_block_fails(as_repairer, dossier, world):
    from connect.uploads.services import named_uploads

    code = send(as_repairer, dossier, pdf("devis"), "devis.pdf")
    taking = named_uploads(user=world.repairer, dossier=dossier, codes=[code], key=None)
    with pytest.raises(RuntimeError), taking as taken:
        (file,) = taken.files
        assert file.read(5) == b"%PDF-"
        raise RuntimeError("the message failed")
    assert file.closed
