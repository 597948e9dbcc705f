"""Liveness, readiness and metrics, in process (the outages themselves: test_outage.py)."""

import json
import logging

import pytest
from django.core.files.storage import default_storage

from connect.testing import login_as

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_names_each_check_and_leaves_no_probe_behind(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "queue"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["queue"]["ready_jobs"] == 0
    assert not default_storage.exists("readyz") or default_storage.listdir("readyz") == ([], [])


def test_readyz_reports_the_queue(client, world):
    from connect.documents.tests.helpers import add_photo

    add_photo(world.dossier_a)  # enqueues its thumbnail job
    queue = client.get("/readyz").json()["checks"]["queue"]
    assert queue["ready_jobs"] >= 1 and queue["oldest_ready_seconds"] >= 0


def test_readyz_is_503_when_the_storage_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    default = settings.STORAGES["default"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**default, "OPTIONS": {**default["OPTIONS"], "location": str(blocked)}},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["checks"]["storage"] == {
        "ok": False,
        "ms": body["checks"]["storage"]["ms"],
    }
    assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]
    assert str(blocked) not in response.content.decode()  # no detail leaks


def test_metrics_count_requests_by_view(client, settings, world):
    settings.METRICS_TOKEN = "scrape-me"
    login_as(client, world.repairer).get("/")
    client.logout()
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'connect_http_requests_total{method="GET",status="200",view="home"}' in text
    assert "connect_http_request_duration_seconds_bucket" in text
    assert "connect_task_queue_ready " in text


def test_metrics_from_an_allowed_network_need_no_token(client, settings):
    from ipaddress import ip_network

    settings.METRICS_ALLOWED_NETWORKS = [ip_network("10.0.0.0/8")]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.1").status_code == 404
    # A forwarded address is the client's word, never trusted for this.
    forwarded = client.get("/metrics", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert forwarded.status_code == 404


def test_every_response_carries_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    kept = client.get("/healthz", headers={"X-Request-ID": "proxy-id-12345"})
    assert kept["X-Request-ID"] == "proxy-id-12345"
    injected = client.get("/healthz", headers={"X-Request-ID": "bad\nid with spaces"})
    assert injected["X-Request-ID"] != "bad\nid with spaces"


def test_json_access_line_has_every_field(client, world):
    from connect.ops.logs import ContextFilter, JsonFormatter

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("connect.request")
    logger.addHandler(handler)
    try:
        response = login_as(client, world.repairer).get("/")
    finally:
        logger.removeHandler(handler)
    line = json.loads(JsonFormatter().format(records[-1]))
    assert line["time"].endswith("+00:00")
    assert line["level"] == "INFO" and line["logger"] == "connect.request"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == str(world.repairer.pk)
    assert (line["method"], line["path"], line["status"]) == ("GET", "/", 200)
    assert line["duration_ms"] >= 0


def test_a_job_carries_the_id_of_the_request_that_enqueued_it(client, world):
    from django.urls import reverse
    from django_tasks.signals import task_started

    from connect.ops import logs
    from connect.testing import run_tasks

    seen = []

    def note(sender, task_result, **kwargs):
        seen.append(logs.request_id.get())

    # Connected after the portal's own receiver: it sees what the job's lines will carry.
    task_started.connect(note)
    try:
        # The reset e-mail goes out through the task queue.
        response = client.post(reverse("password_reset"), {"email": world.repairer.email})
        assert response.status_code == 302
        run_tasks()
    finally:
        task_started.disconnect(note)
    assert seen and set(seen) == {response["X-Request-ID"]}
    assert logs.request_id.get() == ""  # released after the job


def test_readyz_counts_the_jobs_that_failed_for_good(client, world):
    from django_tasks_db.models import DBTaskResult

    from connect.documents.tests.helpers import add_photo

    add_photo(world.dossier_a)
    assert client.get("/readyz").json()["checks"]["queue"]["failed_jobs"] == 0
    DBTaskResult.objects.update(status="FAILED")  # as the reaper leaves a job out of attempts
    queue = client.get("/readyz").json()["checks"]["queue"]
    assert queue["failed_jobs"] == 1 and queue["running_jobs"] == 0


def test_readyz_tells_when_a_worker_last_showed_a_sign_of_life(client, world):
    from connect.testing import run_tasks

    assert (
        client.get("/readyz").json()["checks"]["queue"]["last_worker_heartbeat_seconds_ago"] is None
    )
    run_tasks()  # a real worker's loop: it beats at its first reap, idle or not
    seconds = client.get("/readyz").json()["checks"]["queue"]["last_worker_heartbeat_seconds_ago"]
    assert seconds is not None and 0 <= seconds < 60
