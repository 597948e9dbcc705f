import hashlib
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from connect.documents import samples
from connect.documents.models import Document, DocumentType, Origin
from connect.documents.services import sweep_orphan_files
from connect.documents.tests.helpers import add, add_pdf, add_photo
from connect.documents.validation import RejectedFile
from connect.testing import stored_files


def test_it_stores_the_bytes_under_a_generated_name_with_their_facts(world):
    data = samples.pdf("Rapport", pages=3)
    document = add(world.dossier_a, data, "../../Rapport final.pdf", DocumentType.EXPERT_REPORT)
    assert document.original_name == "Rapport final.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert "Rapport" not in document.file.name and document.file.name.endswith(".pdf")
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == data


def test_firm_and_core_documents_are_novelties_but_the_garages_own_are_not(world):
    add_pdf(world.dossier_a, origin=Origin.REPAIRER_MESSAGE, author=world.repairer)
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.last_document_at is None
    add_pdf(world.dossier_a, origin=Origin.CORE_SYSTEM)
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.last_document_at is not None


def test_bad_bytes_store_nothing(world):
    with pytest.raises(RejectedFile):
        add(world.dossier_a, b"<html></html>", "photo.jpg")
    assert Document.objects.count() == 0
    assert stored_files() == []


def test_a_failing_transaction_leaves_no_file(world):
    with (
        mock.patch.object(Document.objects, "create", side_effect=RuntimeError("db down")),
        pytest.raises(RuntimeError),
    ):
        add_pdf(world.dossier_a)
    assert stored_files() == []


def test_the_sweep_removes_files_whose_row_never_came(world):
    kept = add_pdf(world.dossier_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        add_pdf(world.dossier_a)  # the caller's own transaction then rolls back
        raise RuntimeError
    assert len(stored_files()) == 2
    assert sweep_orphan_files() == []  # too recent: maybe a transaction still running
    later = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        deleted = sweep_orphan_files()
    assert len(deleted) == 1
    assert stored_files() == [kept.file.name]


def test_photos_get_their_thumbnail_job_in_the_same_transaction(world):
    from django_tasks_db.models import DBTaskResult

    add_photo(world.dossier_a)
    add_pdf(world.dossier_a)
    assert DBTaskResult.objects.count() == 1


def test_the_sweep_command_reports_what_it_deleted(world):
    import io

    from django.core.files.base import ContentFile
    from django.core.management import call_command

    kept = add_pdf(world.dossier_a)
    default_storage.save("documents/2026/01/orphan.pdf", ContentFile(b"%PDF-1.4 %%EOF"))
    out = io.StringIO()
    call_command("sweep_document_files", "--older-than-hours", "0", stdout=out)
    assert "1 fichier orphelin supprimé." in out.getvalue()
    assert stored_files() == [kept.file.name]
