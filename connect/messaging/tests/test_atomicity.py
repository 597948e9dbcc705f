"""A message and its files are stored together or not at all."""

import uuid

import pytest

from connect.documents.models import Document
from connect.messaging.models import Message, Thread
from connect.messaging.tests.helpers import pdf, pdf_file, photo, post_new, thread_url
from connect.testing import at_once, fail_storage_save, stored_files


def test_a_storage_failure_mid_upload_stores_nothing_and_leaves_no_file(
    as_repairer, dossier, monkeypatch
):
    calls = fail_storage_save(monkeypatch, at=2)
    files = [pdf_file("a.pdf"), pdf_file("b.pdf"), pdf_file("c.pdf")]
    response = post_new(
        as_repairer, dossier, "expert", body="Bonjour", files=files, types=["devis"]
    )
    assert len(calls) == 2  # the first file was written, the second failed
    assert response.status_code == 400
    assert "rien n&#x27;a été enregistré" in response.content.decode()
    assert not Thread.objects.exists() and not Message.objects.exists()
    assert not Document.objects.exists()
    assert stored_files() == []
    assert "Bonjour" in response.content.decode()  # the user keeps what they wrote


def test_a_storage_failure_in_a_reply_keeps_the_thread_as_it_was(as_repairer, dossier, monkeypatch):
    post_new(as_repairer, dossier, "divers", body="Premier")
    thread = Thread.objects.get()
    before = thread.last_message_at
    fail_storage_save(monkeypatch, at=2)
    response = as_repairer.post(
        f"{thread_url(thread)}repondre/",
        {
            "body": "Suite",
            "token": str(uuid.uuid4()),
            "files": [photo(), photo("b.jpg")],
            "types": ["autres"],
        },
    )
    assert response.status_code == 400
    thread.refresh_from_db()
    assert thread.messages.count() == 1 and thread.last_message_at == before
    assert not thread.has_documents
    assert stored_files() == []


def test_a_double_submit_creates_one_message(as_repairer, dossier):
    token = uuid.uuid4()
    first = post_new(
        as_repairer,
        dossier,
        "expert",
        body="Bonjour",
        token=token,
        files=[pdf_file()],
        types=["devis"],
    )
    again = post_new(
        as_repairer,
        dossier,
        "expert",
        body="Bonjour",
        token=token,
        files=[pdf_file()],
        types=["devis"],
    )
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Thread.objects.count() == Message.objects.count() == Document.objects.count() == 1
    assert len(stored_files()) == 1


def test_a_double_submitted_reply_is_posted_once(as_repairer, dossier):
    post_new(as_repairer, dossier, "divers", body="Premier")
    thread = Thread.objects.get()
    data = {"body": "Suite", "token": str(uuid.uuid4())}
    for _ in range(2):
        assert as_repairer.post(f"{thread_url(thread)}repondre/", data).status_code == 302
    assert thread.messages.count() == 2


def test_a_replayed_token_never_reaches_another_dossier(as_repairer, world, dossier):
    token = uuid.uuid4()
    post_new(as_repairer, dossier, "divers", body="A", token=token)
    other = world.dossier("99999", world.garage_a)
    response = post_new(as_repairer, other, "divers", body="B", token=token)
    assert response.status_code == 400
    assert "Ce formulaire a déjà servi" in response.content.decode()
    assert Message.objects.filter(thread__dossier=other).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_of_one_form_create_one_message(world):
    """Both requests race past the replay check; the unique key makes the second one wait,
    fail, and answer with the first one's message (PostgreSQL row locks; SQLite serialises)."""
    from django.core.files.base import ContentFile
    from django.db import connection

    from connect.messaging.services import Attachment, open_thread

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    token = uuid.uuid4()

    def submit():
        attachment = Attachment(ContentFile(pdf(), name="devis.pdf"), "devis")
        return open_thread(
            dossier=world.dossier_a,
            subject_key="expert",
            author=world.repairer,
            body="Bonjour",
            attachments=[attachment],
            idempotency_key=token,
        ).pk

    results = at_once(submit, 2)  # raises if either submit failed
    assert len(set(results)) == 1
    assert Message.objects.count() == Thread.objects.count() == Document.objects.count() == 1
    assert len(stored_files()) == 1
