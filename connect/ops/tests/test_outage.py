"""Outages for real: a gunicorn node (the repository's config, DEBUG off) on a PostgreSQL and a
Redis of the test's own, which the test stops and starts again. Never the shared servers.

/readyz turns 503 naming the failed check and 200 once it is back; with the database stopped
the pages are French 503 pages in the layout and the API answers in its JSON error format.
"""

import http.cookiejar
import json
import re
import shutil
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from connect.testing.servers import (
    OwnPostgres,
    OwnRedis,
    WebNode,
    manage,
    port,
    production_env,
)

PG_PORT, REDIS_PORT, WEB_PORT = port(18132), port(18179), port(18101)
pytestmark = pytest.mark.tools("postgresql", "redis-server")


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="module")
def stack():
    postgres, redis = OwnPostgres(PG_PORT), OwnRedis(REDIS_PORT)
    var = Path(tempfile.mkdtemp(prefix="connect-outage-"))
    node = None
    try:
        postgres.init()
        redis.start()
        env = production_env(
            DATABASE_URL=postgres.url(),
            REDIS_URL=redis.url(),
            VAR_DIR=str(var),
            PRIVATE_FILES_ROOT=str(var / "private"),
            LOG_FORMAT="json",
            # The test reads /readyz's figures, as a local scraper, and follows each change.
            METRICS_ALLOWED_NETWORKS="127.0.0.1/32",
            READYZ_CACHE_SECONDS="0",
        )
        manage("migrate", "--noinput", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        key = manage("create_api_token", "outage", env=env).strip().splitlines()[-1]
        node = WebNode(WEB_PORT, env).start()
        node.api_key = key
        yield postgres, redis, node
    finally:
        if node is not None:
            node.stop()
        redis.stop()
        postgres.destroy()
        shutil.rmtree(var, ignore_errors=True)


def login(node, email, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(node.url("/connexion/"), timeout=30) as page:
        form = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    ).encode()
    try:
        with opener.open(node.url("/connexion/"), data=data, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def readyz(node):
    status, _, body = get(node.url("/readyz"))
    return status, json.loads(body)


def test_readyz_follows_the_database(stack):
    postgres, _, node = stack
    assert readyz(node)[0] == 200
    postgres.stop()
    try:
        status, body = readyz(node)
        assert status == 503 and body["status"] == "unavailable"
        assert body["checks"]["database"]["ok"] is False
        assert body["checks"]["cache"]["ok"] is True
        assert str(PG_PORT) not in json.dumps(body) and "postgres" not in json.dumps(body)
        assert get(node.url("/healthz"))[0] == 200  # alive, only not ready
    finally:
        postgres.start()
    status, body = readyz(node)
    assert status == 200 and body["status"] == "ok"


def test_readyz_follows_the_cache(stack):
    _, redis, node = stack
    redis.stop()
    try:
        status, body = readyz(node)
        assert status == 503 and body["checks"]["cache"]["ok"] is False
        assert body["checks"]["database"]["ok"] is True
    finally:
        redis.start()
    # The cache leaves Redis alone for a moment after a failure (connect/cache.py): ready again
    # within seconds, not at once.
    deadline = time.monotonic() + 15
    while readyz(node)[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert readyz(node)[0] == 200


def test_pages_and_api_with_the_database_stopped(stack):
    postgres, _, node = stack
    postgres.stop()
    try:
        status, headers, html = get(node.url("/nulle-part/"))
        assert status == 404 and "Page introuvable" in html and 'lang="fr"' in html
        # A token to check: the database is needed, and gone.
        bearer = f"Bearer {node.api_key}"
        status, headers, body = get(node.url("/api/v1/garages/G1"), Authorization=bearer)
        assert status == 503 and headers["Content-Type"] == "application/json"
        assert json.loads(body)["code"] == "unavailable" and headers["Retry-After"] == "30"
        # Logging in needs the database: the form is served, the sign-in is a French 503.
        status, html = login(node, "reparateur@demo.test", "Demo-2026-connect!")
        assert status == 503 and "momentanément indisponible" in html and "site-header" in html
    finally:
        postgres.start()
    log = node.logged()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any(line.get("status") == 503 and line["path"] == "/api/v1/garages/G1" for line in lines)
    assert all(line["time"].endswith("+00:00") for line in lines)
