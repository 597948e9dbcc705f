import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from connect.documents import samples
from connect.documents.models import DocumentType
from connect.documents.tests.helpers import add
from connect.testing import run_tasks


def rendition(document, field="thumbnail"):
    with default_storage.open(getattr(document, field).name) as stored:
        return Image.open(io.BytesIO(stored.read()))


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.jpeg((800, 600)), "photo.jpg"),
        (samples.png((800, 600)), "capture.png"),
        (samples.webp((800, 600)), "photo.webp"),
        (samples.heic((800, 600)), "IMG_0001.HEIC"),
    ],
)
def test_each_photo_format_gets_a_jpeg_thumbnail_and_preview(world, data, name):
    document = add(world.dossier_a, data, name, DocumentType.PHOTO)
    assert not document.thumbnail
    run_tasks()
    document.refresh_from_db()
    thumbnail = rendition(document)
    assert thumbnail.format == "JPEG" and thumbnail.size == (320, 240)
    assert rendition(document, "preview").size == (800, 600)


@pytest.mark.parametrize(
    ("orientation", "size"), [(1, (320, 240)), (6, (240, 320)), (8, (240, 320))]
)
def test_thumbnails_follow_the_exif_orientation(world, orientation, size):
    data = samples.jpeg((800, 600), orientation=orientation)
    document = add(world.dossier_a, data, "photo.jpg", DocumentType.PHOTO)
    run_tasks()
    document.refresh_from_db()
    thumbnail = rendition(document).convert("RGB")
    assert thumbnail.size == size
    # The white corner marks the picture's top-left: rotation 6 (90° clockwise) brings it to
    # the top-right; rotation 8 to the bottom-left.
    corner = {1: (5, 5), 6: (size[0] - 5, 5), 8: (5, size[1] - 5)}[orientation]
    assert min(thumbnail.getpixel(corner)) > 200


def test_pdfs_get_no_rendition(world):
    document = add(world.dossier_a, samples.pdf("x"), "x.pdf")
    run_tasks()
    document.refresh_from_db()
    assert not document.thumbnail and not document.rendition_failed


def test_a_rendition_job_run_again_overwrites_the_same_files(world):
    from django_tasks_db.models import DBTaskResult

    from connect.documents.models import Document
    from connect.testing import stored_files

    document = add(world.dossier_a, samples.jpeg((800, 600)), "photo.jpg", DocumentType.PHOTO)
    run_tasks()
    first = Document.objects.get(pk=document.pk)
    files = stored_files()
    # As after a crash between writing the files and recording them: the job runs again.
    Document.objects.filter(pk=document.pk).update(thumbnail="", preview="")
    DBTaskResult.objects.update(status="READY")
    run_tasks()
    again = Document.objects.get(pk=document.pk)
    assert (again.thumbnail.name, again.preview.name) == (first.thumbnail.name, first.preview.name)
    assert stored_files() == files  # no second set under suffixed names


def test_a_storage_failure_is_retried_not_a_lost_thumbnail(world, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from connect.testing import fail_storage_save

    document = add(world.dossier_a, samples.jpeg((800, 600)), "photo.jpg", DocumentType.PHOTO)
    fail_storage_save(monkeypatch, at=1)
    run_tasks()
    job = DBTaskResult.objects.get()
    assert job.status == "READY" and "disk full" in job.traceback
    document.refresh_from_db()
    assert not document.thumbnail and not document.rendition_failed
