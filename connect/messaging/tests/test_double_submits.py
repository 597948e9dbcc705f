"""A message form sent twice (a double tap, a resend) writes one message and answers with it,
even when the twin commits between the key's check and the insert; its key replayed on another
thread or dossier is refused, never answered with the first message (test_atomicity.py has the
composer's own double-submit, concurrent and cross-dossier tests)."""

import uuid

import pytest
from django.db import connection

from connect.messaging.models import Message, Thread
from connect.messaging.services import open_thread, post_message
from connect.messaging.tests.helpers import post_new, thread_url
from connect.testing import at_once, twin_between_check_and_write


def opened(world, key=None, body="Bonjour", dossier=None):
    return open_thread(
        dossier=dossier or world.dossier_a,
        subject_key="divers",
        author=world.repairer,
        body=body,
        idempotency_key=key,
    )


def posted(world, thread, key, body="Suite"):
    return post_message(thread=thread, author=world.repairer, body=body, idempotency_key=key)


def test_a_twin_before_the_new_threads_insert_answers_with_its_message(world, monkeypatch):
    key = uuid.uuid4()
    twins = twin_between_check_and_write(monkeypatch, Message, lambda: opened(world, key))
    message = opened(world, key)
    assert twins and message.pk == twins[0].pk
    assert Thread.objects.count() == Message.objects.count() == 1


def test_a_twin_before_the_replys_insert_answers_with_its_message(world, monkeypatch):
    thread, key = opened(world).thread, uuid.uuid4()
    twins = twin_between_check_and_write(monkeypatch, Message, lambda: posted(world, thread, key))
    message = posted(world, thread, key)
    assert twins and message.pk == twins[0].pk
    assert thread.messages.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_identical_replies_at_once_post_one(world):
    thread, key = opened(world).thread, uuid.uuid4()
    results = at_once(lambda: posted(world, thread, key).pk, 2)  # raises if either failed
    assert len(set(results)) == 1
    assert thread.messages.count() == 2


@pytest.mark.parametrize("same_dossier", [True, False], ids=["same-dossier", "other-dossier"])
def test_a_replys_key_replayed_on_another_thread_is_refused(as_repairer, world, same_dossier):
    dossier_b = world.dossier_a if same_dossier else world.dossier("99999", world.garage_a)
    first, other = opened(world, body="A").thread, opened(world, body="B", dossier=dossier_b).thread
    data = {"body": "Suite", "token": str(uuid.uuid4())}
    assert as_repairer.post(f"{thread_url(first)}repondre/", data).status_code == 302
    response = as_repairer.post(f"{thread_url(other)}repondre/", data)
    assert response.status_code == 400
    assert "Ce formulaire a déjà servi" in response.content.decode()
    assert first.messages.count() == 2 and other.messages.count() == 1


def test_a_new_threads_key_replayed_as_a_reply_is_refused(as_repairer, world):
    token = uuid.uuid4()
    post_new(as_repairer, world.dossier_a, "divers", body="A", token=token)
    other = opened(world, body="B").thread
    data = {"body": "Suite", "token": str(token)}
    response = as_repairer.post(f"{thread_url(other)}repondre/", data)
    assert response.status_code == 400
    assert "Ce formulaire a déjà servi" in response.content.decode()
    assert Message.objects.count() == Thread.objects.count() == 2
