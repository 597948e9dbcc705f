"""The chunked, resumable protocol: create, chunks with ranges and checksums, resume, complete."""

import hashlib

import pytest

from connect.documents.samples import jpeg
from connect.uploads.models import Upload, UploadState
from connect.uploads.tests.helpers import checksum, create, patch, send, stored_parts


@pytest.fixture
def photo_bytes():
    return jpeg((640, 480), label="choc avant")


def test_a_file_sent_in_chunks_is_complete_and_checked(as_repairer, world, photo_bytes):
    code = send(as_repairer, world.dossier_a, photo_bytes, chunk=4096)
    upload = Upload.objects.get(code=code)
    assert upload.state == UploadState.COMPLETE and upload.offset == len(photo_bytes)
    assert upload.parts == -(-len(photo_bytes) // 4096)
    assert sorted(stored_parts()) == sorted(upload.part_names)


def test_create_answers_201_with_the_upload_location_and_chunk_size(as_repairer, world):
    response = create(as_repairer, world.dossier_a, b"x" * 10)
    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"/televersements/{body['code']}/"
    assert body["offset"] == 0 and body["state"] == "receiving" and body["chunk_size"] > 0


def test_after_a_cut_the_client_asks_the_offset_and_resumes(as_repairer, world, photo_bytes):
    url = create(as_repairer, world.dossier_a, photo_bytes)["Location"]
    half = len(photo_bytes) // 2
    assert patch(as_repairer, url, photo_bytes[:half], 0, len(photo_bytes)).status_code == 200
    # The connection drops; the phone comes back and asks where the server is.
    head = as_repairer.head(url)
    assert head.status_code == 200 and int(head["Upload-Offset"]) == half
    again = patch(as_repairer, url, photo_bytes[half:], half, len(photo_bytes))
    assert again.status_code == 200 and again.json()["state"] == "complete"


def test_a_chunk_replayed_after_a_lost_answer_is_refused_with_the_offset(
    as_repairer, world, photo_bytes
):
    url = create(as_repairer, world.dossier_a, photo_bytes)["Location"]
    patch(as_repairer, url, photo_bytes[:1000], 0, len(photo_bytes))
    replay = patch(as_repairer, url, photo_bytes[:1000], 0, len(photo_bytes))
    assert replay.status_code == 409 and replay["Upload-Offset"] == "1000"
    assert Upload.objects.get().parts == 1


def test_a_chunk_tampered_in_transit_is_refused_and_nothing_is_stored(
    as_repairer, world, photo_bytes
):
    url = create(as_repairer, world.dossier_a, photo_bytes)["Location"]
    chunk = photo_bytes[:1000]
    tampered = bytes([chunk[0] ^ 0xFF]) + chunk[1:]
    response = patch(as_repairer, url, chunk, 0, len(photo_bytes), body=tampered)
    assert response.status_code == 460
    assert "altéré" in response.json()["message"]
    assert stored_parts() == []
    assert Upload.objects.get().offset == 0


def test_a_whole_file_whose_sha256_differs_is_refused(as_repairer, world, photo_bytes):
    wrong = hashlib.sha256(b"another file").hexdigest()
    url = create(as_repairer, world.dossier_a, photo_bytes, sha256=wrong)["Location"]
    answer = patch(as_repairer, url, photo_bytes, 0, len(photo_bytes))
    assert answer.json()["state"] == "rejected"
    assert "empreinte SHA-256" in answer.json()["reason"]
    assert stored_parts() == []


def test_a_file_that_is_not_an_accepted_type_is_refused_at_completion(as_repairer, world):
    data = b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"
    url = create(as_repairer, world.dossier_a, data, "plan.svg")["Location"]
    answer = patch(as_repairer, url, data, 0, len(data)).json()
    assert answer["state"] == "rejected" and "type accepté" in answer["reason"]


@pytest.mark.parametrize(
    ("content_range", "why"),
    [
        ("bytes 0-99/5000", "taille totale"),  # total other than declared
        ("bytes 900-999/1000", "ne commence pas"),  # not at the offset: writing elsewhere
        ("bytes 0-1099/1000", "dépasse la fin"),
        ("octets 0-99", "Content-Range"),
    ],
)
def test_a_chunk_outside_its_upload_is_refused(as_repairer, world, content_range, why):
    url = create(as_repairer, world.dossier_a, b"x" * 1000)["Location"]
    data = b"x" * 100
    response = as_repairer.patch(
        url,
        data,
        content_type="application/offset+octet-stream",
        headers={"Content-Range": content_range, "Upload-Checksum": checksum(data)},
    )
    assert response.status_code in (400, 409)
    assert why in response.json()["message"]
    assert stored_parts() == []


def test_a_body_longer_than_its_range_is_refused(as_repairer, world):
    url = create(as_repairer, world.dossier_a, b"x" * 1000)["Location"]
    body = b"x" * 200
    response = as_repairer.patch(
        url,
        body,
        content_type="application/offset+octet-stream",
        headers={"Content-Range": "bytes 0-99/1000", "Upload-Checksum": checksum(body)},
    )
    assert response.status_code == 400 and stored_parts() == []


def test_a_chunk_over_the_chunk_limit_is_refused_before_it_is_read(as_repairer, world, settings):
    settings.MAX_UPLOAD_FILE_BYTES = 10 * 1024 * 1024
    size = 5 * 1024 * 1024
    url = create(as_repairer, world.dossier_a, b"x" * size)["Location"]
    data = b"x" * (4 * 1024 * 1024 + 1)
    response = patch(as_repairer, url, data, 0, size)
    assert response.status_code == 413 and stored_parts() == []


def test_an_upload_over_the_file_limit_is_refused_at_creation(as_repairer, world, settings):
    settings.MAX_UPLOAD_FILE_BYTES = 1000
    response = create(as_repairer, world.dossier_a, b"x" * 1001)
    assert response.status_code == 413 and "taille maximale" in response.json()["message"]
    assert not Upload.objects.exists()


def test_pending_uploads_are_capped_at_one_message_worth(as_repairer, world, settings):
    settings.MAX_UPLOAD_MESSAGE_BYTES = 2500
    assert create(as_repairer, world.dossier_a, b"a" * 1000).status_code == 201
    assert create(as_repairer, world.dossier_a, b"b" * 1000).status_code == 201
    third = create(as_repairer, world.dossier_a, b"c" * 1000)
    assert third.status_code == 413 and "par message" in third.json()["message"]


def test_pending_uploads_are_capped_in_number(as_repairer, world, monkeypatch):
    from connect.uploads import limits

    monkeypatch.setattr(limits, "MAX_FILES", 2)
    for _ in range(2):
        assert create(as_repairer, world.dossier_a, b"a" * 10).status_code == 201
    assert create(as_repairer, world.dossier_a, b"a" * 10).status_code == 413


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"size": "beaucoup"}, 400),
        ({"sha256": "abc"}, 400),
        ({"size": 0}, 400),
        ({"metadata": "[1]"}, 400),
        ({"metadata": '{"x": "' + "y" * 5000 + '"}'}, 400),
    ],
)
def test_bad_creations_are_refused(as_repairer, world, fields, status):
    data = b"x" * 10
    response = create(
        as_repairer,
        world.dossier_a,
        data,
        **{k: v for k, v in fields.items() if k not in ("size", "sha256")},
        **{k: v for k, v in fields.items() if k in ("size", "sha256")},
    )
    assert response.status_code == status
    assert not Upload.objects.exists()


def test_the_uploader_may_give_an_upload_up(as_repairer, world, photo_bytes):
    url = create(as_repairer, world.dossier_a, photo_bytes)["Location"]
    patch(as_repairer, url, photo_bytes[:1000], 0, len(photo_bytes))
    assert as_repairer.delete(url).status_code == 204
    assert not Upload.objects.exists() and stored_parts() == []
    assert as_repairer.get(url).status_code == 404


def test_the_metadata_of_the_file_is_kept(as_repairer, world):
    create(as_repairer, world.dossier_a, b"x" * 10, metadata='{"types": "photo"}')
    assert Upload.objects.get().metadata == {"types": "photo"}


def test_an_upload_whose_completion_was_cut_short_completes_when_asked(as_repairer, world):
    data = jpeg((64, 48))
    url = create(as_repairer, world.dossier_a, data)["Location"]
    patch(as_repairer, url, data, 0, len(data))
    # As if the worker died between the last chunk's commit and the checks.
    Upload.objects.update(state=UploadState.RECEIVING)
    assert as_repairer.get(url).json()["state"] == "complete"


def test_starting_uploads_is_throttled_per_user(as_repairer, world, settings):
    settings.UPLOADS_PER_USER_PER_HOUR = 1
    assert create(as_repairer, world.dossier_a, b"a" * 10).status_code == 201
    assert create(as_repairer, world.dossier_a, b"b" * 10).status_code == 201
    third = create(as_repairer, world.dossier_a, b"c" * 10)
    assert third.status_code == 429 and int(third["Retry-After"]) > 0
    assert "Réessayez" in third.json()["message"]
    assert Upload.objects.count() == 2


def test_a_chunk_storage_failed_to_keep_is_sent_again(as_repairer, world, photo_bytes, monkeypatch):
    from connect.testing import fail_storage_save

    created = create(as_repairer, world.dossier_a, photo_bytes)
    url, first, total = created["Location"], photo_bytes[:4096], len(photo_bytes)
    assert patch(as_repairer, url, first, 0, total).status_code == 200
    fail_storage_save(monkeypatch, at=1)  # the next save only
    failed = patch(as_repairer, url, photo_bytes[4096:8192], 4096, total)
    # A 5xx: queue.js keeps the file and sends the chunk again later (a 4xx would give it up).
    assert failed.status_code == 503 and failed["Upload-Offset"] == "4096"
    assert failed.json()["message"].startswith("L'envoi a échoué, rien n'a été enregistré.")
    upload = Upload.objects.get()
    assert upload.offset == 4096 and upload.parts == 1 and len(stored_parts()) == 1
    assert patch(as_repairer, url, photo_bytes[4096:], 4096, total).status_code == 200
    assert Upload.objects.get().state == UploadState.COMPLETE
