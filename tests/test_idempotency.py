"""The one idempotent write (connect/lib/idempotency.py), on a real keyed model: the checklist's
Request (its `idempotency_key` is unique)."""

import uuid

import pytest
from django.db import IntegrityError

from connect.checklists.models import Request
from connect.lib.idempotency import KeyUsedElsewhere, replay_or_write
from connect.testing import twin_between_check_and_write


@pytest.fixture
def writer(world):
    """replay_or_write for a request of `dossier` by `by`, counting the writes it runs."""
    writes = []

    def call(key, dossier=None, by=None, write=None):
        dossier, by = dossier or world.dossier_a, by or world.expert

        def create():
            writes.append(key)
            return Request.objects.create(dossier=dossier, created_by=by, idempotency_key=key)

        scope = {"dossier": dossier, "created_by": by}
        return replay_or_write(Request.objects, key, scope=scope, write=write or create)

    call.writes = writes
    return call


def test_without_a_key_every_call_writes(writer):
    assert writer(None).pk != writer(None).pk
    assert len(writer.writes) == 2


def test_a_key_used_in_the_same_scope_answers_with_its_row_and_writes_nothing(writer):
    key = uuid.uuid4()
    assert writer(key).pk == writer(key).pk
    assert writer.writes == [key] and Request.objects.count() == 1


@pytest.mark.parametrize("elsewhere", ["dossier", "person"])
def test_a_key_of_another_object_or_person_is_refused_and_writes_nothing(writer, world, elsewhere):
    key = uuid.uuid4()
    writer(key)
    other = {"dossier": {"dossier": world.dossier_b}, "person": {"by": world.manager}}[elsewhere]
    with pytest.raises(KeyUsedElsewhere):
        writer(key, **other)
    assert writer.writes == [key] and Request.objects.count() == 1


def test_a_twin_committed_between_the_check_and_the_insert_is_the_answer(writer, monkeypatch):
    key = uuid.uuid4()
    twins = twin_between_check_and_write(monkeypatch, Request, lambda: writer(key))
    assert writer(key).pk == twins[0].pk
    assert writer.writes == [key, key]  # both wrote; the second met the unique key
    assert Request.objects.count() == 1


def test_a_twin_of_another_dossier_is_refused_after_the_insert_fails(writer, world, monkeypatch):
    key = uuid.uuid4()
    twin_between_check_and_write(monkeypatch, Request, lambda: writer(key, world.dossier_b))
    with pytest.raises(KeyUsedElsewhere):
        writer(key)
    assert list(Request.objects.values_list("dossier", flat=True)) == [world.dossier_b.pk]


def test_another_constraints_failure_is_raised_and_its_writes_are_undone(writer, world):
    def failing():
        Request.objects.create(dossier=world.dossier_a, created_by=world.expert)
        raise IntegrityError("another constraint")

    with pytest.raises(IntegrityError):
        writer(uuid.uuid4(), write=failing)
    assert not Request.objects.exists()  # the savepoint took the half-done write back
    writer(uuid.uuid4())  # and the connection is still usable
    assert Request.objects.count() == 1
