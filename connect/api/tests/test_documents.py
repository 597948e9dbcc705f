import pytest

from connect.api.events import record_event
from connect.documents import samples
from connect.documents.models import Document, Origin
from connect.dossiers.models import Dossier
from connect.dossiers.novelty import with_novelty
from connect.testing import login_as

PDF = samples.pdf("Rapport", pages=1)


def upload(api, reference="99677", headers=None, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"type": "rapport_expertise", "title": "Rapport définitif", **fields}
    data.setdefault("file", SimpleUploadedFile("rapport.pdf", PDF, "application/pdf"))
    return api.upload(f"/api/v1/dossiers/{reference}/documents", data, headers=headers)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }


def test_a_posted_document_appears_typed_for_the_repairer_and_as_a_novelty(api, world, client):
    response = upload(api, date="2026-11-20T09:00:00")
    assert response.status_code == 201
    document = Document.objects.get()
    assert response.json()["code"] == str(document.code)
    assert (document.doc_type, document.origin) == ("rapport_expertise", Origin.CORE_SYSTEM)
    assert document.content_type == "application/pdf"
    novelty = with_novelty(Dossier.objects.visible_to(world.repairer), world.repairer)
    assert novelty.get(pk=world.dossier_a.pk).has_new_documents
    page = login_as(client, world.repairer).get(f"/dossiers/{world.dossier_a.code}/")
    assert "Rapport définitif" in page.content.decode()


def test_a_document_can_cancel_and_replace_an_earlier_one(api, world):
    first = upload(api).json()["code"]
    second = upload(api, replaces=first)
    assert second.status_code == 201 and second.json()["replaces"] == first
    assert Document.objects.count() == 2
    assert upload(api, replaces="not-a-code").status_code == 422


def test_a_disguised_or_missing_file_or_unknown_type_is_refused(api, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("rapport.pdf", b"<html><script>x</script></html>", "application/pdf")
    response = upload(api, file=fake)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("file", "rejected_file")
    assert error["message"]["fr"]
    assert api.upload("/api/v1/dossiers/99677/documents", {"type": "photo"}).status_code == 422
    assert upload(api, type="selfie").status_code == 422
    assert upload(api, reference="000000").status_code == 404
    assert not Document.objects.exists()


def test_a_replayed_upload_stores_one_document(api, world):
    first = upload(api, headers={"Idempotency-Key": "doc-1"})
    second = upload(api, headers={"Idempotency-Key": "doc-1"})
    assert first.json() == second.json()
    assert Document.objects.count() == 1


def test_a_storage_failure_stores_nothing_and_the_same_key_may_retry(api, world, monkeypatch):
    from connect.api.models import Event
    from connect.testing import fail_storage_save, stored_files

    fail_storage_save(monkeypatch, at=1)  # the next save only
    failed = upload(api, headers={"Idempotency-Key": "doc-1"})
    # Like the scanner away: a temporary refusal the client retries after Retry-After.
    assert failed.status_code == 503 and failed["Retry-After"] == "60"
    body = failed.json()
    assert body["code"] == "storage_unavailable"
    assert body["message"]["fr"].startswith("L'envoi a échoué, rien n'a été enregistré.")
    assert not Document.objects.exists() and stored_files() == []
    assert not Event.objects.exists()
    retried = upload(api, headers={"Idempotency-Key": "doc-1"})
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert Document.objects.count() == 1


def test_a_token_downloads_a_document_and_the_feed_links_it(api, world):
    code = upload(api).json()["code"]
    document = Document.objects.get(code=code)
    record_event(
        "message.sent", payload={"subject": "Devis"}, dossier=world.dossier_a, documents=[document]
    )
    link = api.get("/api/v1/events").json()["events"][0]["documents"][0]
    assert link == {"code": code, "url": f"/api/v1/documents/{code}"}
    response = api.get(link["url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert api.get("/api/v1/documents/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api.get("/api/v1/documents/nope").status_code == 404
    assert api.client.get(link["url"]).status_code == 401


@pytest.mark.django_db(transaction=True)
def test_the_garage_is_emailed_once_about_a_posted_document(api, world):
    from django.core import mail

    from connect.testing import run_tasks

    assert upload(api).status_code == 201
    run_tasks()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world.repairer.email, world.colleague.email])
    assert all("99677" in message.body for message in mail.outbox)
