import json

import pytest
from django.db import connection

from connect.api.models import IdempotencyKey
from connect.dossiers.models import Dossier, Step
from connect.testing import at_once

STEP = {"label": "Examen après travaux", "kind": "exam", "occurred_at": "2026-11-02T10:00:00"}


def test_a_replayed_post_returns_the_first_answer_and_does_nothing_twice(api, world):
    first = api.post("/api/v1/dossiers/99677/steps", STEP, headers={"Idempotency-Key": "k-1"})
    second = api.post("/api/v1/dossiers/99677/steps", STEP, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Step.objects.count() == 1


def test_without_a_key_each_post_acts(api, world):
    api.post("/api/v1/dossiers/99677/steps", STEP)
    api.post("/api/v1/dossiers/99677/steps", STEP)
    assert Step.objects.count() == 2


def test_a_key_reused_for_another_request_is_refused(api, world):
    api.post("/api/v1/dossiers/99677/steps", STEP, headers={"Idempotency-Key": "k-1"})
    other = api.post(
        "/api/v1/dossiers/99677/steps",
        {**STEP, "label": "autre"},
        headers={"Idempotency-Key": "k-1"},
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Step.objects.count() == 1


def test_keys_belong_to_their_token(api, world, client):
    from connect.api.models import ApiToken

    other_key = ApiToken.issue("autre")[1]
    api.post("/api/v1/dossiers/99677/steps", STEP, headers={"Idempotency-Key": "k-1"})
    response = client.post(
        "/api/v1/dossiers/99677/steps",
        json.dumps(STEP),
        content_type="application/json",
        headers={"Authorization": f"Bearer {other_key}", "Idempotency-Key": "k-1"},
    )
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Step.objects.count() == 2


def test_a_refused_batch_is_replayed_as_refused(api, world):
    batch = {"dossiers": [{"reference": "700001", "garage": "NOPE"}]}
    first = api.post("/api/v1/dossiers/batch", batch, headers={"Idempotency-Key": "b-1"})
    second = api.post("/api/v1/dossiers/batch", batch, headers={"Idempotency-Key": "b-1"})
    assert first.status_code == second.status_code == 422
    assert first.json() == second.json()
    assert not Dossier.objects.filter(reference="700001").exists()


def test_an_unprintable_key_is_refused(api, world):
    response = api.post("/api/v1/dossiers/99677/steps", STEP, headers={"Idempotency-Key": "a\tb"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_apply_once(world, token, settings):
    """Two connections send the same keyed batch at once: one acts, the other replays."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: concurrency is PostgreSQL's to prove")
    from django.test import Client

    settings.API_BATCH_SYNC_MAX = 1000  # applied in the request (the job's key: test_batch_jobs)
    batch = {"dossiers": [{"reference": str(800000 + n), "garage": "GA"} for n in range(200)]}

    def send():
        response = Client().post(
            "/api/v1/dossiers/batch",
            json.dumps(batch),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token[1]}", "Idempotency-Key": "same"},
        )
        return response.status_code, response.json()

    results = at_once(send, 4)
    assert [status for status, _ in results] == [200] * 4
    assert {json.dumps(body) for _, body in results} == {
        json.dumps({"created": 200, "updated": 0, "unchanged": 0})
    }
    assert Dossier.objects.filter(reference__startswith="8").count() == 200
    assert IdempotencyKey.objects.count() == 1


def test_a_duplicate_between_the_check_and_the_insert_is_replayed(api, world, monkeypatch):
    """The concurrent case made deterministic (SQLite too): the duplicate's key row lands just
    after the look-up; the insert meets the unique key and replays the duplicate's answer."""
    from connect.testing import twin_between_check_and_write

    def send():
        return api.post("/api/v1/dossiers/99677/steps", STEP, headers={"Idempotency-Key": "k-1"})

    twins = twin_between_check_and_write(monkeypatch, IdempotencyKey, send, field="key")
    response = send()
    assert twins[0].status_code == response.status_code == 201
    assert response.json() == twins[0].json() and response["Idempotent-Replayed"] == "true"
    assert Step.objects.count() == IdempotencyKey.objects.count() == 1
