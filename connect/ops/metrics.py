"""Prometheus metrics: requests by view (count, latency), the task queue, job outcomes.

Request figures are counted in each process; under gunicorn set PROMETHEUS_MULTIPROC_DIR (an
empty folder per start, `make serve` does) so that a scrape sums every worker. Queue and job
figures are read from the database at scrape time, so any node gives the same answer.
"""

import ipaddress
import os
import secrets
import time

from django.conf import settings
from django.http import HttpRequest
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "connect_http_requests_total", "HTTP requests answered", ["view", "method", "status"]
)
LATENCY = Histogram(
    "connect_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["view", "method"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120),
)


# A label per method string would let any client add series (`FOOBAR1 / HTTP/1.1`).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def method_label(request: HttpRequest) -> str:
    return request.method if request.method in METHODS else "other"


def view_label(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or "unnamed") if match else "unresolved"


def observe(request: HttpRequest, status: int, seconds: float) -> None:
    view, method = view_label(request), method_label(request)
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view, method=method).observe(seconds)


class QueueCollector(Collector):
    def collect(self):
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        depth = GaugeMetricFamily("connect_task_queue_ready", "Jobs ready to run", labels=[])
        depth.add_metric([], ready.count())
        yield depth
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        age = GaugeMetricFamily("connect_task_queue_oldest_ready_seconds", "Oldest ready job")
        age.add_metric([], (time.time() - oldest.timestamp()) if oldest else 0)
        yield age
        outcomes = GaugeMetricFamily(
            "connect_task_jobs", "Jobs kept in the queue table, by status", labels=["status"]
        )
        for row in DBTaskResult.objects.values("status").annotate(n=Count("id")):
            outcomes.add_metric([row["status"]], row["n"])
        yield outcomes
        yield from counts_drift()


def counts_drift():
    """The last nightly recount of the list's kept counts (connect/dossiers/kept.py)."""
    from connect.dossiers.models import CountsCheck

    last = CountsCheck.objects.first()
    drift = GaugeMetricFamily(
        "connect_counts_drift",
        "Kept list counts off their recount at the last nightly check (sum of differences)",
    )
    drift.add_metric([], last.drift if last else 0)
    yield drift
    garages = GaugeMetricFamily(
        "connect_counts_drifted_garages", "Garages whose kept counts were off at the last check"
    )
    garages.add_metric([], last.drifted_garages if last else 0)
    yield garages
    age = GaugeMetricFamily(
        "connect_counts_checked_seconds", "Seconds since the last check of the kept counts"
    )
    age.add_metric([], (time.time() - last.checked_at.timestamp()) if last else -1)
    yield age


def exposition() -> tuple[bytes, str]:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUESTS, LATENCY):
            registry.register(collector)
    registry.register(QueueCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


def local_peer(request: HttpRequest) -> bool:
    """A client on this very host: a loopback peer that did not come through the proxy (the
    same-host proxy connects from loopback too, and adds X-Forwarded-For)."""
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return peer.is_loopback and "HTTP_X_FORWARDED_FOR" not in request.META


def may_scrape(request: HttpRequest) -> bool:
    """The metrics token, or a direct peer inside METRICS_ALLOWED_NETWORKS (never a forwarded
    address: a proxy on the same machine would make every visitor internal). Where HTTPS is
    the rule, credentials in clear count only from this host."""
    if settings.SECURE_SSL_REDIRECT and not request.is_secure() and not local_peer(request):
        return False
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and secrets.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in settings.METRICS_ALLOWED_NETWORKS)
