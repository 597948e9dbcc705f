import base64
import hashlib

from django.urls import reverse

from connect.testing import stored_files

CREATE_URL = "/televersements/"


def checksum(data: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(data).digest()).decode()


def create(client, dossier, data: bytes, name="photo.jpg", *, size=None, sha256=None, **extra):
    return client.post(
        reverse("uploads:create"),
        {
            "dossier": str(dossier.code),
            "name": name,
            "size": len(data) if size is None else size,
            "sha256": hashlib.sha256(data).hexdigest() if sha256 is None else sha256,
            **extra,
        },
    )


def patch(client, url, data: bytes, start: int, total: int, *, header=None, body=None):
    end = start + len(data) - 1
    return client.patch(
        url,
        data if body is None else body,
        content_type="application/offset+octet-stream",
        headers={
            "Content-Range": f"bytes {start}-{end}/{total}",
            "Upload-Checksum": header or checksum(data),
        },
    )


def send(client, dossier, data: bytes, name="photo.jpg", *, chunk=1000) -> str:
    """Create an upload and send it whole in chunks; its code."""
    created = create(client, dossier, data, name)
    assert created.status_code == 201, created.content
    url = created["Location"]
    for start in range(0, len(data), chunk):
        answer = patch(client, url, data[start : start + chunk], start, len(data))
        assert answer.status_code == 200, answer.content
    return created.json()["code"]


def stored_parts() -> list[str]:
    """Every file under the storage's `uploads/` folder (the parts of the uploads)."""
    return stored_files("uploads")
