"""A decision form sent twice (a double tap, a resend) records one decision and answers with
it; its key replayed on another dossier's supplement is refused, never answered with the first
decision."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection

from connect.api.models import Event
from connect.supplements.models import Outcome, SupplementDecision
from connect.supplements.services import SupplementDraft, decide_supplement, submit_supplement
from connect.supplements.tests.helpers import decide
from connect.testing import at_once, login_as, twin_between_check_and_write


def submitted(world, dossier):
    draft = SupplementDraft(amount=Decimal("1250.50"))
    return submit_supplement(dossier=dossier, by=world.repairer, draft=draft)


def accept(world, supplement, key):
    return decide_supplement(
        supplement=supplement, by=world.expert, outcome=Outcome.ACCEPTED, idempotency_key=key
    )


def test_a_twin_between_the_check_and_the_insert_answers_with_its_decision(world, monkeypatch):
    supplement, key = submitted(world, world.dossier_a), uuid.uuid4()
    twins = twin_between_check_and_write(
        monkeypatch, SupplementDecision, lambda: accept(world, supplement, key)
    )
    decision = accept(world, supplement, key)
    assert twins and decision.pk == twins[0].pk
    assert SupplementDecision.objects.count() == 1
    assert Event.objects.filter(kind="supplement.decided").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_two_identical_decisions_at_once_record_one(world):
    supplement, key = submitted(world, world.dossier_a), uuid.uuid4()
    results = at_once(lambda: accept(world, supplement, key).pk, 2)  # raises if either failed
    assert len(set(results)) == 1
    assert SupplementDecision.objects.count() == 1
    assert Event.objects.filter(kind="supplement.decided").count() == 1


def test_a_key_used_on_one_dossier_is_refused_on_another(client, world):
    first, other = submitted(world, world.dossier_a), submitted(world, world.dossier_b)
    token = str(uuid.uuid4())
    login_as(client, world.expert)
    assert decide(client, first, outcome="accepted", token=token).status_code == 302
    response = decide(client, other, outcome="accepted", token=token)
    assert response.status_code == 400
    assert "Ce formulaire a déjà servi" in response.content.decode()
    assert SupplementDecision.objects.get().supplement == first
    assert not other.decisions.exists()
    assert Event.objects.filter(kind="supplement.decided").count() == 1
