"""Storage (disk or S3) failing while the firm sends a file: a French message, nothing kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from connect.documents import samples
from connect.documents.models import Document, DocumentType
from connect.messaging.services import open_thread
from connect.testing import fail_storage_save, login_as, stored_files

pytestmark = pytest.mark.django_db

FAILED = "L&#x27;envoi a échoué, rien n&#x27;a été enregistré."


def pdf(name="rapport.pdf"):
    return SimpleUploadedFile(name, samples.pdf(name), content_type="application/pdf")


def test_a_storage_failure_in_a_staff_reply_stores_nothing(client, world, monkeypatch):
    thread = open_thread(
        dossier=world.dossier_a, subject_key="expert", author=world.repairer, body="Question"
    ).thread
    login_as(client, world.expert)
    page = client.get(reverse("staff:thread", kwargs={"staff_thread_code": thread.code}))
    calls = fail_storage_save(monkeypatch, at=2)
    response = client.post(
        reverse("staff:thread_reply", kwargs={"staff_thread_code": thread.code}),
        {
            "token": page.context["form"].initial["token"],
            "body": "Voici le rapport",
            "files": [pdf("a.pdf"), pdf("b.pdf")],
            "types": ["rapport_expertise", "rapport_expertise"],
        },
    )
    assert len(calls) == 2  # the first file was written, the second failed
    assert response.status_code == 400
    assert FAILED in response.content.decode()
    assert "Voici le rapport" in response.content.decode()  # what was typed is kept
    assert thread.messages.count() == 1 and not Document.objects.exists()
    assert stored_files() == []


def test_a_storage_failure_while_publishing_a_document_stores_nothing(client, world, monkeypatch):
    login_as(client, world.expert)
    fail_storage_save(monkeypatch, at=1)
    response = client.post(
        reverse("staff:document_publish", kwargs={"code": world.dossier_a.code}),
        {"doc_type": DocumentType.EXPERT_REPORT, "title": "Rapport définitif", "file": pdf()},
    )
    assert response.status_code == 400
    assert FAILED in response.content.decode()
    assert not Document.objects.exists() and stored_files() == []
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.last_document_at is None
