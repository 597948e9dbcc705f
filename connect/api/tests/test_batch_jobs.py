"""A large batch is a job (connect/api/batches.py): 202 with its status URL, idempotent by its
key, applied all or nothing by the worker, its outcome in its status and in the feed."""

import pytest
from django.test import Client

from connect.api.models import ApiToken, BatchJob, Event
from connect.dossiers.models import Dossier
from connect.testing import ApiClient, dossier_payload, run_tasks


def item(reference, **fields):
    return {"reference": reference, **dossier_payload(**fields)}


@pytest.fixture
def small_sync(settings):
    settings.API_BATCH_SYNC_MAX = 3


def test_a_batch_over_the_sync_size_is_accepted_as_a_job(api, world, small_sync):
    batch = [item(str(510000 + n)) for n in range(4)] + [item("99677", garage="GA")]
    response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "queued" and body["items"] == 5
    assert (
        response["Location"] == body["status_url"] == f"/api/v1/dossiers/batch/jobs/{body['job']}"
    )
    assert not Dossier.objects.filter(reference__startswith="5100").exists()  # not yet
    assert api.get(body["status_url"]).json()["state"] == "queued"

    run_tasks()

    status = api.get(body["status_url"]).json()
    assert status["state"] == "done" and status["finished_at"]
    assert status["result"] == {"created": 4, "updated": 1, "unchanged": 0}
    assert status["error"] is None
    assert Dossier.objects.filter(reference__startswith="5100").count() == 4
    assert BatchJob.objects.get().payload == []  # the items are not kept once applied
    events = api.get("/api/v1/events").json()["events"]
    assert [(e["kind"], e["payload"]) for e in events] == [
        (
            "batch.done",
            {"job": body["job"], "created": 4, "updated": 1, "unchanged": 0},
        )
    ]


def test_a_small_batch_is_still_answered_at_once_unless_asked_async(api, world, small_sync):
    batch = [item("520001"), item("520002")]
    response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.status_code == 200
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0}
    later = api.post(
        "/api/v1/dossiers/batch", {"dossiers": batch}, headers={"Prefer": "respond-async"}
    )
    assert later.status_code == 202
    run_tasks()
    assert api.get(later.json()["status_url"]).json()["result"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }


def test_a_job_refused_reports_each_items_error_and_stores_nothing(api, world, small_sync):
    batch = [
        item("530001"),
        item("530002", garage="NOPE"),
        item("530003"),
        item("530001"),
        item("530004", expert_email="nobody@test.fr"),
    ]
    response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.status_code == 202
    run_tasks()
    status = api.get(response.json()["status_url"]).json()
    assert status["state"] == "failed" and status["result"] is None
    errors = status["error"]["errors"]
    assert status["error"]["code"] == "invalid"
    assert [(e["index"], e["reference"], e["code"]) for e in errors] == [
        (1, "530002", "unknown_garage"),
        (3, "530001", "duplicate_reference"),
        (4, "530004", "unknown_expert"),
    ]
    assert not Dossier.objects.filter(reference__startswith="5300").exists()
    (event,) = api.get("/api/v1/events").json()["events"]
    assert event["kind"] == "batch.failed"
    assert event["payload"]["job"] == status["job"]
    assert event["payload"]["errors"] == errors


def test_a_schema_error_is_still_a_422_at_once(api, world, small_sync):
    batch = [item(str(540000 + n)) for n in range(4)] + [item("540009", repair_amount="abc")]
    response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.status_code == 422
    assert response.json()["errors"][0]["index"] == 4
    assert not BatchJob.objects.exists()


def test_a_keyed_batch_sent_twice_is_one_job(api, world, small_sync):
    batch = {"dossiers": [item(str(550000 + n)) for n in range(5)]}
    key = {"Idempotency-Key": "lot-1"}
    first = api.post("/api/v1/dossiers/batch", batch, headers=key)
    second = api.post("/api/v1/dossiers/batch", batch, headers=key)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert second["Location"] == first.json()["status_url"]
    assert BatchJob.objects.count() == 1
    run_tasks()
    third = api.post("/api/v1/dossiers/batch", batch, headers=key)  # after it ran: the same
    assert third.json()["job"] == first.json()["job"]
    assert Event.objects.filter(kind="batch.done").count() == 1
    other = {"dossiers": batch["dossiers"][:4]}
    assert api.post("/api/v1/dossiers/batch", other, headers=key).status_code == 422


def test_a_job_run_twice_applies_once(api, world, small_sync):
    from connect.api.batches import _apply

    response = api.post(
        "/api/v1/dossiers/batch", {"dossiers": [item(str(560000 + n)) for n in range(4)]}
    )
    run_tasks()
    job = BatchJob.objects.get(code=response.json()["job"])
    assert _apply(job.pk) == "already applied"
    assert Event.objects.filter(kind="batch.done").count() == 1


def test_another_token_does_not_see_the_job(api, world, small_sync):
    response = api.post(
        "/api/v1/dossiers/batch", {"dossiers": [item(str(570000 + n)) for n in range(4)]}
    )
    other = ApiClient(Client(), ApiToken.issue("autre")[1])
    assert other.get(response.json()["status_url"]).status_code == 404
    assert api.get("/api/v1/dossiers/batch/jobs/not-a-uuid").status_code in (404, 422)


def test_the_web_worker_only_stores_a_large_batch(api, world, django_assert_max_num_queries):
    """1,000 items: the request validates and stores them (the token, the key-less job row,
    the queue's row), whatever the batch's size; the job does the rest."""
    batch = {"dossiers": [item(str(580000 + n)) for n in range(1000)]}
    with django_assert_max_num_queries(8):
        response = api.post("/api/v1/dossiers/batch", batch)
    assert response.status_code == 202
    run_tasks()
    assert Dossier.objects.filter(reference__startswith="58").count() == 1000


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_of_a_keyed_large_batch_are_one_job(world, token, small_sync):
    """Four connections send the same keyed batch at once: one job, four identical 202s."""
    import json

    from django.db import connection

    from connect.testing import at_once

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: concurrency is PostgreSQL's to prove")
    batch = {"dossiers": [item(str(590000 + n)) for n in range(10)]}

    def send():
        response = Client().post(
            "/api/v1/dossiers/batch",
            json.dumps(batch),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token[1]}", "Idempotency-Key": "same-job"},
        )
        return response.status_code, response.json()["job"]

    results = at_once(send, 4)
    assert {status for status, _ in results} == {202}
    assert len({job for _, job in results}) == 1
    assert BatchJob.objects.count() == 1
    run_tasks()
    assert Dossier.objects.filter(reference__startswith="5900").count() == 10


def test_finished_jobs_are_pruned_after_two_weeks(api, world, small_sync):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    for start in (600000, 600010):
        api.post("/api/v1/dossiers/batch", {"dossiers": [item(str(start + n)) for n in range(4)]})
    run_tasks()
    api.post("/api/v1/dossiers/batch", {"dossiers": [item(str(600020 + n)) for n in range(4)]})
    old = BatchJob.objects.exclude(state="queued").first()
    BatchJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=15))
    call_command("prune_batch_jobs", verbosity=0)
    assert BatchJob.objects.count() == 2  # the recent one and the one still queued
    assert not BatchJob.objects.filter(pk=old.pk).exists()
