"""Uploads cannot be turned into work (issue 25): a message post naming completed uploads
used to re-assemble, re-decode and re-scan them even when its form was refused and before any
throttle. An upload is checked once, when it completes (its verdict kept on its row); a post
refused on its other fields, or throttled, reads none of them."""

import uuid
from dataclasses import dataclass, field

import pytest

from connect.documents import quality, validation
from connect.documents.samples import jpeg
from connect.messaging.models import Message
from connect.uploads import services
from connect.uploads.models import Upload
from connect.uploads.tests.helpers import send


@dataclass
class Calls:
    """How many times the real functions ran, by name (wrapped, never replaced)."""

    counts: dict[str, int] = field(default_factory=dict)

    def wrap(self, monkeypatch, owner, name: str, label: str) -> None:
        real = getattr(owner, name)

        def counted(*args, **kwargs):
            self.counts[label] = self.counts.get(label, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    def __getitem__(self, label: str) -> int:
        return self.counts.get(label, 0)


@pytest.fixture
def calls(monkeypatch):
    from connect.documents import services as documents
    from connect.messaging import forms

    found = Calls()
    found.wrap(monkeypatch, services, "assemble", "read")
    found.wrap(monkeypatch, services, "check_upload", "check on completion")
    found.wrap(monkeypatch, forms, "check_upload", "check by the message")
    found.wrap(monkeypatch, documents, "check_upload", "check when stored")
    found.wrap(monkeypatch, validation, "scan", "scan")
    found.wrap(monkeypatch, quality, "check_photo", "decode")
    return found


@pytest.fixture
def dossier(world):
    world.dossier_a.ve_procedure = True
    world.dossier_a.save(update_fields=["ve_procedure"])
    return world.dossier_a


def five_uploads(client, dossier) -> list[str]:
    return [send(client, dossier, jpeg((320, 240), label=f"{n}"), f"{n}.jpg") for n in range(5)]


def post(client, dossier, codes, *, token=None, **extra):
    data = {
        "objet": "expert",
        "body": "Photos",
        "token": token or str(uuid.uuid4()),
        "upload": codes,
        "types": ["diagnostic"] * len(codes),
        **extra,
    }
    return client.post(f"/dossiers/{dossier.code}/messages/nouveau/", data)


def test_an_upload_is_checked_once_when_it_completes_and_keeps_the_verdict(
    as_repairer, dossier, calls
):
    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg", chunk=4096)
    assert calls["check on completion"] == 1
    assert Upload.objects.get(code=code).checked_type == "image/jpeg"


def test_refused_posts_naming_uploads_read_none_of_them(as_repairer, dossier, calls):
    codes = five_uploads(as_repairer, dossier)
    before = dict(calls.counts)
    for _ in range(10):
        response = post(as_repairer, dossier, codes, token="pas-un-jeton")
        assert response.status_code == 400
    assert calls.counts == before  # nothing assembled, decoded or scanned
    assert not Message.objects.exists()


def test_the_next_post_naming_uploads_is_throttled_before_any_is_read(
    as_repairer, dossier, calls, settings
):
    settings.MESSAGES_PER_USER_PER_MINUTE = 3
    codes = five_uploads(as_repairer, dossier)
    for _ in range(3):
        assert post(as_repairer, dossier, codes, token="pas-un-jeton").status_code == 400
    before = dict(calls.counts)
    response = post(as_repairer, dossier, codes)  # a valid one now: still over the limit
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    content = response.content.decode()
    assert "Trop de demandes en peu de temps" in content and "pas été envoyé" in content
    assert calls.counts == before and not Message.objects.exists()


def test_a_message_trusts_the_verdict_kept_and_does_not_check_again(as_repairer, dossier, calls):
    codes = five_uploads(as_repairer, dossier)
    assert calls["check on completion"] == calls["read"] == 5
    response = post(as_repairer, dossier, codes)
    assert response.status_code == 302, response.content.decode()
    assert calls["check by the message"] == 0
    assert calls["read"] == 10  # once more each, to store them as documents
    assert Message.objects.get().documents.count() == 5


def test_an_upload_completed_while_clamd_was_away_is_checked_by_the_message(
    as_repairer, dossier, calls
):
    code = send(as_repairer, dossier, jpeg((320, 240)), "a.jpg")
    Upload.objects.filter(code=code).update(checked_type="")  # what clamd away leaves
    assert post(as_repairer, dossier, [code]).status_code == 302
    assert calls["check by the message"] == 1
