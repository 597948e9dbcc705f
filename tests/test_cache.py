"""Redis may fail (connect/cache.py): against a port where no Redis listens, the cache misses,
drops writes, and counters say they cannot count; sessions then live on in the database."""

import logging

import pytest
from django.core.cache import caches
from django.test import override_settings

from connect.cache import CacheUnavailable, ForgivingRedisCache
from connect.testing import login_as
from connect.testing.servers import port

DEAD_REDIS = f"redis://127.0.0.1:{port(18278)}/0"  # nothing listens there
DEAD_CACHE = {
    "default": {
        "BACKEND": "connect.cache.ForgivingRedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


class Captured(logging.Handler):
    """The warnings of one logger (the suite may run with pytest's logging plugin off)."""

    def __init__(self, name):
        super().__init__(logging.WARNING)
        self.logger, self.text = logging.getLogger(name), ""

    def emit(self, record):
        self.text += record.getMessage() + "\n"

    def __enter__(self):
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)


@pytest.fixture
def dead_redis():
    ForgivingRedisCache._down_until = 0.0
    with override_settings(
        CACHES=DEAD_CACHE, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        caches._settings = None  # type: ignore[attr-defined]
        yield caches["default"]
    ForgivingRedisCache._down_until = 0.0


def test_a_missing_redis_misses_and_drops_writes(dead_redis):
    with Captured("connect.cache") as log:
        assert dead_redis.get("k", "default") == "default"
    assert "Redis unavailable" in log.text
    dead_redis.set("k", "v")
    assert dead_redis.add("k", "v") is False
    assert dead_redis.get_many(["a", "b"]) == {}
    with pytest.raises(CacheUnavailable):
        dead_redis.incr("k")


@pytest.mark.django_db
def test_pages_work_with_redis_away(dead_redis, client, world):
    login_as(client, world.repairer)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # the session was read back from the database


@pytest.mark.django_db
def test_login_works_with_redis_away(dead_redis, client, world):
    from connect.testing import PASSWORD

    response = client.post("/connexion/", {"username": world.repairer.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_api_answers_with_redis_away_and_logs_the_unenforced_limit(dead_redis, client):
    from connect.api.models import ApiToken
    from connect.testing import ApiClient

    _, key = ApiToken.issue("Système central")
    with Captured("connect.api") as log:
        response = ApiClient(client, key).get("/api/v1/events")
    assert response.status_code == 200
    assert "rate limit not enforced" in log.text


@pytest.mark.django_db
def test_the_portals_throttles_let_requests_through_with_redis_away(dead_redis, client, world):
    # An export and a message are throttled in the cache (connect/lib/throttle.py): with
    # nothing to count on, the limit is not enforced (and said in the log), the request works.
    from django.urls import reverse

    login_as(client, world.repairer)
    with Captured("connect.lib.throttle") as log:
        assert client.get(reverse("export_csv")).status_code == 200
    assert "rate limit not enforced" in log.text
    url = reverse("messaging:compose", kwargs={"code": world.dossier_a.code})
    response = client.post(url, {"subject": "expert", "body": "Bonjour", "token": ""})
    assert response.status_code != 500


def _counter():
    calls = []

    def compute():
        calls.append(1)
        return {"computed": len(calls)}

    return calls, compute


@pytest.mark.django_db(transaction=True)
def test_a_versioned_value_is_served_until_a_version_it_was_read_under_is_replaced():
    from connect.lib import versioned

    calls, compute = _counter()
    key, versions = "test:versioned:value", ["test:versioned:a", "test:versioned:b"]
    caches["default"].delete_many([key, *versions])

    def read(parts=("p",)):
        return versioned.cached(key, versions=versions, parts=parts, compute=compute, timeout=60)

    assert read() == {"computed": 1}
    assert read() == {"computed": 1} and len(calls) == 1
    versioned.replace(["test:versioned:b"])
    assert read() == {"computed": 2}
    assert read(parts=("q",)) == {"computed": 3}  # another part of its identity: another value
    from django.db import transaction

    with transaction.atomic():
        versioned.replace_on_commit(["test:versioned:a"])
        assert read(parts=("q",)) == {"computed": 3}  # not before the writer commits
    assert read(parts=("q",)) == {"computed": 4}


@pytest.mark.django_db
def test_a_none_is_never_stored():
    from connect.lib import versioned

    calls = []
    for _ in range(2):
        versioned.cached(
            "test:versioned:none",
            versions=["test:versioned:c"],
            timeout=60,
            compute=lambda: calls.append(1),
        )
    assert len(calls) == 2


def test_a_versioned_value_is_computed_with_redis_away(dead_redis):
    from connect.lib import versioned

    calls, compute = _counter()
    for expected in (1, 2):
        value = versioned.cached("k", versions=["v"], compute=compute, timeout=60)
        assert value == {"computed": expected}
