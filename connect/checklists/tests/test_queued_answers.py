"""An answer sent through the phone's queue names completed uploads (`upload`), as a message
does: its files are taken in its transaction, a resend of the same answer is a replay, and an
upload that is not the user's, not this dossier's or not complete is refused, nothing stored."""

import uuid

import pytest

from connect.checklists.models import ItemStatus
from connect.checklists.services import ItemSpec, create_request
from connect.checklists.tests.helpers import answer_url
from connect.documents.models import Document, DocumentType
from connect.documents.samples import pdf
from connect.documents.tests import photos
from connect.testing import login_as
from connect.uploads.models import Upload, UploadState
from connect.uploads.tests.helpers import send, stored_parts


@pytest.fixture(autouse=True)
def _small_chunks(monkeypatch):
    from connect.uploads import limits

    monkeypatch.setattr(limits, "MIN_CHUNK_BYTES", 1)


def _item(world, doc_type=""):
    request = create_request(
        dossier=world.dossier_a, by=world.expert, items=[ItemSpec("Pièce demandée", doc_type)]
    )
    return request.items.get()


def _answer(client, item, codes, *, token=None, note=""):
    data = {"token": str(token or uuid.uuid4()), "upload": list(codes), "note": note}
    return client.post(answer_url(item), data)


def test_an_answer_takes_its_completed_uploads(client, world, django_capture_on_commit_callbacks):
    item = _item(world)
    login_as(client, world.repairer)
    code = send(client, world.dossier_a, pdf("facture"), "facture.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = _answer(client, item, [code], note="La facture des pièces")
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.ANSWERED and item.note == "La facture des pièces"
    assert [d.original_name for d in item.documents.all()] == ["facture.pdf"]
    assert Upload.objects.get().state == UploadState.CONSUMED
    assert stored_parts() == []


def test_the_queues_resend_of_a_sent_answer_is_a_replay(client, world):
    item = _item(world)
    login_as(client, world.repairer)
    code = send(client, world.dossier_a, pdf("facture"), "facture.pdf")
    token = uuid.uuid4()
    assert _answer(client, item, [code], token=token).status_code == 302
    again = _answer(client, item, [code], token=token)
    assert again.status_code == 302  # the answer the first post made, nothing new
    assert Document.objects.filter(dossier=world.dossier_a).count() == 1


def test_an_upload_that_is_not_the_users_or_not_complete_is_refused(client, world):
    item = _item(world)
    login_as(client, world.colleague)
    theirs = send(client, world.dossier_a, pdf("facture"), "facture.pdf")
    login_as(client, world.repairer)
    response = _answer(client, item, [theirs])
    assert response.status_code == 400
    assert "introuvable" in response.content.decode()
    response = _answer(client, item, ["pas-un-code"])
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED and not item.documents.exists()
    assert Upload.objects.get().state == UploadState.COMPLETE


def test_a_photo_item_checks_a_queued_photo_as_guided_capture_does(client, world):
    item = _item(world, DocumentType.PHOTO)
    login_as(client, world.repairer)
    dark = send(client, world.dossier_a, photos.dark(), "nuit.jpg")
    response = _answer(client, item, [dark])
    assert response.status_code == 400
    assert "nuit.jpg" in response.content.decode()
    assert Upload.objects.get(code=dark).state == UploadState.COMPLETE  # kept to fix
    good = send(client, world.dossier_a, photos.good(), "avant.jpg")
    assert _answer(client, item, [good]).status_code == 302
    assert [d.original_name for d in item.documents.all()] == ["avant.jpg"]
