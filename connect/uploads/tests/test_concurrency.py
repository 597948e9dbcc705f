"""Two senders of one upload at once (a tab and the service worker, a replay): the row lock
lets one chunk in and answers the other with the offset; two messages naming one upload: one."""

import uuid

import pytest
from django.db import connection

from connect.testing import at_once
from connect.uploads import services
from connect.uploads.models import Upload, UploadState
from connect.uploads.tests.helpers import checksum, create, send, stored_parts

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")


def test_the_same_chunk_sent_twice_at_once_is_stored_once(as_repairer, world):
    data = b"x" * 3000
    code = create(as_repairer, world.dossier_a, data)["Location"].split("/")[-2]
    chunk = data[:1000]

    def receive():
        upload = Upload.objects.get(code=code)
        try:
            services.receive_chunk(
                upload=upload,
                chunk=services.ChunkRange(0, 999, 3000),
                data=chunk,
                checksum=checksum(chunk),
            )
        except services.UploadRefused as refused:
            return refused.status
        return 200

    assert sorted(at_once(receive, 2)) == [200, 409]
    upload = Upload.objects.get(code=code)
    assert (upload.offset, upload.parts) == (1000, 1)
    assert stored_parts() == [f"uploads/{code}/0"]


def test_two_messages_naming_one_upload_at_once_take_it_once(as_repairer, world):
    from connect.documents.samples import jpeg
    from connect.messaging.services import open_thread

    code = send(as_repairer, world.dossier_a, jpeg((64, 48)), "a.jpg")
    upload = Upload.objects.get(code=code)

    def write():
        try:
            with services.consuming([upload], key=uuid.uuid4()):
                return open_thread(
                    dossier=world.dossier_a,
                    subject_key="divers",
                    author=world.repairer,
                    body="Bonjour",
                ).pk
        except services.UploadGone:
            return None

    from connect.messaging.models import Message

    results = at_once(write, 2)
    assert results.count(None) == 1 and Message.objects.count() == 1
    assert Upload.objects.get(code=code).state == UploadState.CONSUMED
