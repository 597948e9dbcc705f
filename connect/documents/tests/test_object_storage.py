"""The same file paths on both storages: the local folder and S3 (moto's server, for real on
the loopback, started here). Uploads, streamed downloads with HTTP Range, the ZIP, thumbnails,
the orphan sweep, and /readyz following the object store. `.ci/run` also runs every storage
test of the suite on S3.
"""

import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from connect.documents import samples
from connect.documents.services import sweep_orphan_files
from connect.documents.tests.helpers import add, add_pdf, add_photo
from connect.testing import run_tasks, stored_files
from connect.testing.servers import MotoS3, port

MOTO_PORT = port(18151)
BUCKET = "connect-storage-tests"


@pytest.fixture(scope="module")
def moto():
    server = MotoS3(MOTO_PORT).start()
    try:
        server.create_bucket(BUCKET)
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["local", "s3"])
def backend(request, settings, tmp_path):
    if request.param == "s3":
        server = request.getfixturevalue("moto")
        options = server.options(BUCKET, prefix=f"tests/{uuid.uuid4().hex}")
        default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    else:  # the local folder, even when the suite runs on S3 (.ci/run)
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        }
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return request.param


def file_url(document):
    return reverse("document_file", args=[document.dossier.code, document.code])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_storage_is_the_one_configured(backend, world):
    document = add_pdf(world.dossier_a)
    kind = type(default_storage._wrapped).__name__
    assert kind == ("S3Storage" if backend == "s3" else "FileSystemStorage")
    assert stored_files() == [document.file.name]


def test_a_download_is_streamed_whole_or_by_range(backend, as_repairer, world):
    data = samples.pdf("Gros rapport", pages=30)
    document = add(world.dossier_a, data, "rapport.pdf")
    whole = as_repairer.get(file_url(document))
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert body(whole) == data

    part = as_repairer.get(file_url(document), headers={"Range": "bytes=100-1123"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-1123/{len(data)}"
    assert part["Content-Length"] == "1024" and body(part) == data[100:1124]
    assert part["X-Content-Type-Options"] == "nosniff"

    tail = as_repairer.get(file_url(document), headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and body(tail) == data[-10:]
    rest = as_repairer.get(file_url(document), headers={"Range": f"bytes={len(data) - 5}-"})
    assert body(rest) == data[-5:]

    beyond = as_repairer.get(file_url(document), headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"
    several = as_repairer.get(file_url(document), headers={"Range": "bytes=0-1,5-6"})
    assert several.status_code == 200 and body(several) == data


def test_a_range_never_skips_the_access_check(backend, client, world):
    from connect.testing import login_as

    document = add_pdf(world.dossier_a)
    response = login_as(client, world.other_repairer).get(
        file_url(document), headers={"Range": "bytes=0-10"}
    )
    assert response.status_code == 404


def test_thumbnails_and_the_zip(backend, as_repairer, world):
    photo = add_photo(world.dossier_a, "choc.jpg")
    report = add_pdf(world.dossier_a, "rapport.pdf")
    run_tasks()
    photo.refresh_from_db()
    assert photo.thumbnail and default_storage.exists(photo.thumbnail.name)
    thumb = as_repairer.get(reverse("document_thumbnail", args=[world.dossier_a.code, photo.code]))
    assert thumb.status_code == 200 and body(thumb)[:2] == b"\xff\xd8"

    response = as_repairer.get(reverse("documents_zip", args=[world.dossier_a.code]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    contents = {name: archive.read(name) for name in archive.namelist()}
    with default_storage.open(report.file.name, "rb") as stored:
        assert stored.read() in contents.values()
    assert len(contents) == 2


def test_the_orphan_sweep(backend, world):
    kept = add_pdf(world.dossier_a)
    orphan = default_storage.save("documents/2026/orphelin.pdf", io.BytesIO(b"%PDF-1.4 x"))
    assert sorted(stored_files()) == sorted([kept.file.name, orphan])
    assert sweep_orphan_files() == []  # too recent
    assert sweep_orphan_files(older_than=timedelta(0)) == [orphan]
    assert stored_files() == [kept.file.name]


@pytest.mark.django_db
def test_readyz_follows_the_object_store(settings, client, tmp_path):
    from ipaddress import ip_network

    settings.METRICS_ALLOWED_NETWORKS = [ip_network("127.0.0.1/32")]  # the checks' figures
    server = MotoS3(MOTO_PORT + 1).start()
    try:
        server.create_bucket(BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": server.options(BUCKET),
            },
        }
        assert client.get("/readyz").status_code == 200
        server.stop()
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["checks"]["storage"]["ok"] is False
        assert "127.0.0.1" not in response.content.decode()
        server.start()
        server.create_bucket(BUCKET)  # moto keeps buckets in memory
        assert client.get("/readyz").status_code == 200
    finally:
        server.stop()
