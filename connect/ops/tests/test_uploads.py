"""Temporary upload files are removed once the request is answered, whatever happened."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from connect.documents import samples
from connect.messaging.tests.helpers import post_new
from connect.testing import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # every test file spools to disk
    return Path(tmp_path)


def spooled(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if ".upload" in path.name]


def test_a_refused_upload_leaves_no_temporary_file(client, world, upload_dir):
    client = login_as(client, world.repairer)
    fake = SimpleUploadedFile("virus.pdf", b"MZ" + b"x" * 50_000, content_type="application/pdf")
    response = post_new(client, world.dossier_a, "expert", body="x", files=[fake], types=["devis"])
    assert response.status_code == 400
    assert spooled(upload_dir) == []


def test_an_accepted_upload_leaves_no_temporary_file(client, world, upload_dir):
    client = login_as(client, world.repairer)
    data = samples.pdf("Devis", pages=20)
    pdf = SimpleUploadedFile("devis.pdf", data, content_type="application/pdf")
    response = post_new(client, world.dossier_a, "expert", body="x", files=[pdf], types=["devis"])
    assert response.status_code == 302
    assert spooled(upload_dir) == []


def test_the_folder_is_watched_for_real(upload_dir):
    # The check above can fail: a spooled file does show up in the folder.
    from django.core.files.uploadedfile import TemporaryUploadedFile

    kept = TemporaryUploadedFile("a.pdf", "application/pdf", 10, None)
    try:
        assert spooled(upload_dir) == [Path(kept.temporary_file_path())]
    finally:
        kept.close()
    assert tempfile.gettempdir()
