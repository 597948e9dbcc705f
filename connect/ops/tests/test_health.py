"""Liveness, readiness and metrics, in process (the outages themselves: test_outage.py)."""

import json
import logging

import pytest
from django.core.files.storage import default_storage

from connect.testing import login_as

pytestmark = pytest.mark.django_db
SCRAPER_TOKEN = "k" * 40


@pytest.fixture(autouse=True)
def scraper_on_loopback(settings):
    """The test client's peer (127.0.0.1) may read /readyz's figures, as a local scraper."""
    from ipaddress import ip_network

    settings.METRICS_ALLOWED_NETWORKS = [ip_network("127.0.0.0/8")]


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


def test_readyz_tells_an_anonymous_caller_the_status_only(client, settings, world):
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_TOKEN = SCRAPER_TOKEN
    response = client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    figures = client.get("/readyz", headers={"Authorization": f"Bearer {SCRAPER_TOKEN}"})
    assert figures.json()["checks"]["queue"]["ready_jobs"] == 0
    login_as(client, world.expert)  # a portal account is no operator
    assert "checks" not in client.get("/readyz").json()


def test_readyz_does_its_checks_once_for_a_burst_of_probes(client, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from connect.ops import health

    settings.READYZ_CACHE_SECONDS = 5
    health._last = None
    try:
        with CaptureQueriesContext(connection) as queries:
            statuses = {client.get("/readyz").status_code for _ in range(20)}
        assert statuses == {200}
        first = len(queries)
        with CaptureQueriesContext(connection) as queries:
            client.get("/readyz")
        assert first > 0 and len(queries) == 0  # the 20 probes did the work of one
    finally:
        health._last = None


def test_metrics_methods_are_a_fixed_set(client, settings):
    settings.METRICS_TOKEN = SCRAPER_TOKEN
    for method in ("FOOBAR1", "FOOBAR2", "get"):
        client.generic(method, "/healthz")
    text = client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPER_TOKEN}"}).text
    assert "FOOBAR" not in text and 'method="get"' not in text
    assert 'connect_http_requests_total{method="other",status="405"' in text


def test_metrics_stay_on_https_unless_the_scraper_is_on_this_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_TOKEN = SCRAPER_TOKEN
    bearer = {"Authorization": f"Bearer {SCRAPER_TOKEN}"}
    far = client.get("/metrics", headers=bearer, REMOTE_ADDR="192.0.2.1")
    assert far.status_code == 301 and far["Location"].startswith("https://")
    # The same-host proxy connects from loopback for every visitor, and says so.
    proxied = client.get(
        "/metrics", headers=bearer, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1"
    )
    assert proxied.status_code == 301
    assert client.get("/metrics", headers=bearer, REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", headers=bearer, secure=True).status_code == 200
    # The probes stay on plain HTTP, and their figures are not given out in clear.
    probe = client.get("/readyz", headers=bearer, REMOTE_ADDR="192.0.2.1")
    assert probe.status_code == 200 and probe.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "token", ["change-me-to-a-long-random-token", "short-random-Zq81", "x" * 31, "my-metrics-" * 4]
)
def test_a_placeholder_or_short_metrics_token_is_refused(settings, token):
    from connect.ops.checks import metrics_token_strong

    settings.DEBUG, settings.METRICS_TOKEN = False, token
    assert [error.id for error in metrics_token_strong(None)] == ["connect.E025"]
    settings.DEBUG = True
    assert metrics_token_strong(None) == []


def test_a_random_metrics_token_passes(settings):
    import secrets

    from connect.ops.checks import metrics_token_strong

    settings.DEBUG = False
    for token in ("", secrets.token_urlsafe(32), secrets.token_hex(32)):
        settings.METRICS_TOKEN = token
        assert metrics_token_strong(None) == []


def test_allowed_networks_that_hold_the_proxy_are_warned_about(settings):
    from ipaddress import ip_network

    from connect.ops.checks import metrics_networks_exclude_the_proxy

    settings.BEHIND_TLS_PROXY = True
    for networks in (["127.0.0.1/32"], ["10.0.0.0/8", "::1/128"], ["0.0.0.0/0"]):
        settings.METRICS_ALLOWED_NETWORKS = [ip_network(net) for net in networks]
        assert [w.id for w in metrics_networks_exclude_the_proxy(None)] == ["connect.W025"]
    settings.METRICS_ALLOWED_NETWORKS = [ip_network("10.0.0.0/8")]
    assert metrics_networks_exclude_the_proxy(None) == []
    settings.METRICS_ALLOWED_NETWORKS = [ip_network("127.0.0.1/32")]
    settings.BEHIND_TLS_PROXY = False  # no proxy: a loopback peer is a local scraper
    assert metrics_networks_exclude_the_proxy(None) == []
