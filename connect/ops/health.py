"""Liveness and readiness, for the load balancer and the orchestrator.

/healthz touches nothing: the process answers. /readyz says whether this node can serve:
PostgreSQL, the cache and the storage (a probe object written, read back and deleted) decide
the status (200 or 503). The task queue (ready jobs, age of the oldest) and the workers (age of
the last finished job) are reported too, but do not take a web node out of rotation: another
web node would not fix them; the metrics and alerts watch them. The JSON names each check and
its figures only: a failure's detail (hosts, versions, messages) goes to the log, not the body,
and only the metrics' credentials see the checks: anyone else gets the status alone. The result
is kept READYZ_CACHE_SECONDS in each process, so a flood of probes does no work per request.
"""

import logging
import secrets
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

logger = logging.getLogger(__name__)
PROBE_FOLDER = "readyz"


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict:
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    found = cache.get(key)
    cache.delete(key)
    if found != value:
        raise RuntimeError("cache did not return the probe value")
    return {}


def check_storage() -> dict:
    content = secrets.token_bytes(32)
    name = default_storage.save(
        f"{PROBE_FOLDER}/{secrets.token_hex(8)}.probe", ContentFile(content)
    )
    try:
        with default_storage.open(name, "rb") as stored:
            if stored.read() != content:
                raise RuntimeError("storage did not return the probe object")
    finally:
        default_storage.delete(name)
    return {}


def queue_figures() -> dict:
    from django_tasks_db.models import DBTaskResult

    from connect.jobs.queue import counts, last_beat_seconds_ago

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    figures = ready.aggregate(oldest=Min("enqueued_at"))
    finished = DBTaskResult.objects.finished().aggregate(last=Max("finished_at"))["last"]
    oldest = figures["oldest"]
    jobs = counts()  # waiting (due now), running (under a lease), failed for good (admin list)
    return {
        "ready_jobs": ready.count(),
        "running_jobs": jobs["running"],
        "failed_jobs": jobs["failed"],
        "last_worker_heartbeat_seconds_ago": last_beat_seconds_ago(),
        "oldest_ready_seconds": round((now - oldest).total_seconds()) if oldest else 0,
        "last_finished_seconds_ago": round((now - finished).total_seconds()) if finished else None,
    }


# name → (check, decides the status)
CHECKS: dict[str, tuple[Callable[[], dict], bool]] = {
    "database": (check_database, True),
    "cache": (check_cache, True),
    "storage": (check_storage, True),
    "queue": (queue_figures, False),
}


def readiness() -> tuple[bool, dict]:
    checks = {}
    ready = True
    for name, (check, critical) in CHECKS.items():
        started = time.monotonic()
        try:
            result = {"ok": True, **check()}
        except Exception:
            logger.exception("readiness check %s failed", name)
            result = {"ok": False}
            ready = ready and not critical
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        checks[name] = result
    return ready, checks


_last: tuple[float, bool, dict] | None = None  # (monotonic time, ready, checks) of this process
_lock = threading.Lock()


def cached_readiness() -> tuple[bool, dict]:
    """`readiness()`, reused for READYZ_CACHE_SECONDS: one run at a time per process, however
    many probes arrive meanwhile."""
    global _last
    seconds = settings.READYZ_CACHE_SECONDS
    with _lock:
        if _last is None or time.monotonic() - _last[0] >= seconds:
            _last = (time.monotonic(), *readiness())
        return _last[1], _last[2]
