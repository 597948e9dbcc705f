"""A request form sent twice (a double tap, a resend) creates one request and answers with it;
its key replayed on another dossier is refused, never answered with the first request."""

import uuid

import pytest
from django.db import connection

from connect.api.models import Event
from connect.checklists.models import Request, RequestItem
from connect.checklists.services import ItemSpec, create_request
from connect.checklists.tests.helpers import create_url
from connect.testing import at_once, login_as, twin_between_check_and_write


def ask(world, key, dossier=None):
    return create_request(
        dossier=dossier or world.dossier_a,
        by=world.expert,
        items=[ItemSpec("Photo")],
        idempotency_key=key,
    )


def test_a_twin_between_the_check_and_the_insert_answers_with_its_request(world, monkeypatch):
    key = uuid.uuid4()
    twins = twin_between_check_and_write(monkeypatch, Request, lambda: ask(world, key))
    request = ask(world, key)
    assert twins and request.pk == twins[0].pk
    assert Request.objects.count() == RequestItem.objects.count() == 1
    assert Event.objects.filter(kind="request.created").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_identical_requests_at_once_create_one(world):
    key = uuid.uuid4()
    results = at_once(lambda: ask(world, key).pk, 2)  # raises if either failed
    assert len(set(results)) == 1
    assert Request.objects.count() == RequestItem.objects.count() == 1
    assert Event.objects.filter(kind="request.created").count() == 1


def test_a_key_used_on_one_dossier_is_refused_on_another(client, world):
    data = {"label_0": "Photo", "token": str(uuid.uuid4())}
    login_as(client, world.expert)
    assert client.post(create_url(world.dossier_a), data).status_code == 302
    response = client.post(create_url(world.dossier_b), data)
    assert response.status_code == 400
    assert "Ce formulaire a déjà servi" in response.content.decode()
    assert Request.objects.get().dossier == world.dossier_a
    assert not Request.objects.filter(dossier=world.dossier_b).exists()
    assert Event.objects.filter(kind="request.created").count() == 1
