"""A complete upload is not a request per byte (issue 25: 212 one-byte chunks made one): a
chunk but the last carries at least MIN_CHUNK_BYTES, and an upload has at most MAX_PARTS parts.
queue.js sends the chunk size create announces, above the minimum."""

import pytest

from connect.documents.samples import jpeg
from connect.uploads import limits
from connect.uploads.models import Upload, UploadState
from connect.uploads.tests.helpers import create, patch, send, stored_parts

REAL_MIN_CHUNK_BYTES = limits.MIN_CHUNK_BYTES  # read at import, before conftest lowers it


@pytest.fixture(autouse=True)
def _real_chunk_limits(_small_chunks, monkeypatch):
    monkeypatch.setattr(limits, "MIN_CHUNK_BYTES", REAL_MIN_CHUNK_BYTES)


def test_one_byte_chunks_are_refused_with_a_french_message(as_repairer, world):
    data = b"x" * 212
    url = create(as_repairer, world.dossier_a, data)["Location"]
    response = patch(as_repairer, url, data[:1], 0, len(data))
    assert response.status_code == 400
    message = response.json()["message"]  # filesizeformat puts a no-break space before "Kio"
    assert message.startswith("Un morceau fait au moins 64,0")
    assert message.endswith("Kio, sauf le dernier du fichier.")
    assert Upload.objects.get().offset == 0 and stored_parts() == []


def test_the_last_chunk_may_be_small(as_repairer, world):
    data = jpeg((3000, 2000), label="grande", quality=100)
    assert len(data) > limits.MIN_CHUNK_BYTES
    code = send(as_repairer, world.dossier_a, data, chunk=limits.MIN_CHUNK_BYTES)
    upload = Upload.objects.get(code=code)
    assert upload.state == UploadState.COMPLETE and upload.parts == -(-len(data) // (64 * 1024))


def test_a_small_file_goes_in_one_chunk(as_repairer, world):
    code = send(
        as_repairer,
        world.dossier_a,
        b"%PDF-1.4\n" + b"x" * 100 + b"\n%%EOF\n",
        "a.pdf",
        chunk=limits.MIN_CHUNK_BYTES,
    )
    assert Upload.objects.get(code=code).offset > 0


def test_an_upload_has_a_bounded_number_of_parts(as_repairer, world, monkeypatch):
    monkeypatch.setattr(limits, "MIN_CHUNK_BYTES", 10)
    monkeypatch.setattr(limits, "MAX_PARTS", 2)
    data = b"y" * 50
    url = create(as_repairer, world.dossier_a, data)["Location"]
    assert patch(as_repairer, url, data[:10], 0, 50).status_code == 200
    assert patch(as_repairer, url, data[10:20], 10, 50).status_code == 200
    response = patch(as_repairer, url, data[20:30], 20, 50)
    assert response.status_code == 400
    assert response.json()["message"].startswith("Un envoi compte au plus 2 morceaux")
    assert Upload.objects.get().parts == 2


def test_the_chunk_size_announced_to_the_phone_is_above_the_minimum(as_repairer, world):
    body = create(as_repairer, world.dossier_a, b"x" * 10).json()
    assert limits.MIN_CHUNK_BYTES <= body["chunk_size"] <= limits.MAX_CHUNK_BYTES
    from pathlib import Path

    queue = (Path(__file__).parents[2] / "static/js/queue.js").read_text()
    assert "file.chunk || 1048576" in queue  # its fallback is the server's CHUNK_BYTES
    assert limits.CHUNK_BYTES == 1048576
