"""The firm's reply form sent twice posts once; its key replayed on another thread is refused
with a clear message, never answered with the first reply."""

import uuid

from django.urls import reverse

from connect.messaging.models import Message
from connect.messaging.services import open_thread
from connect.testing import login_as


def asked(world, dossier, body):
    return open_thread(dossier=dossier, subject_key="expert", author=world.repairer, body=body)


def reply_url(thread):
    return reverse("staff:thread_reply", kwargs={"staff_thread_code": thread.code})


def test_a_replayed_reply_is_posted_once(client, world):
    thread = asked(world, world.dossier_a, "Question").thread
    data = {"body": "Réponse", "token": str(uuid.uuid4())}
    login_as(client, world.expert)
    for _ in range(2):
        assert client.post(reply_url(thread), data).status_code == 302
    assert thread.messages.count() == 2


def test_a_replys_key_replayed_on_another_thread_is_refused(client, world):
    first = asked(world, world.dossier_a, "A").thread
    other = asked(world, world.dossier_a, "B").thread
    data = {"body": "Réponse", "token": str(uuid.uuid4())}
    login_as(client, world.expert)
    assert client.post(reply_url(first), data).status_code == 302
    response = client.post(reply_url(other), data)
    assert response.status_code == 400
    assert "Ce formulaire a déjà servi" in response.content.decode()
    assert first.messages.count() == 2 and other.messages.count() == 1
    assert Message.objects.count() == 3
