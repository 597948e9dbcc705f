"""Shared bench helpers: the bench database, gunicorn, an HTTP session, percentiles.

Standard library only (urllib + a cookie jar), so that the bench measures the portal and
not a client library. Every figure is wall-clock time seen by a client on the same machine.
"""

import http.cookiejar
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
DEMO_PASSWORD = "Demo-2026-connect!"
# Production keeps the cache and the sessions in Redis (settings: REDIS_URL → cache sessions);
# the bench does too. BENCH_REDIS_URL="" measures database sessions instead.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
# connect/staff/demo.py: the demo staff's published TOTP secret (demo data only).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def bench_env(database_url: str, port: int, redis_url: str | None = None) -> dict:
    """Production-like settings (DEBUG off, Redis cache and sessions) against the bench
    database, over plain HTTP."""
    if redis_url is None:
        redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "VAR_DIR": os.environ.get("BENCH_VAR_DIR", "/tmp/bench_var"),
        "LOG_LEVEL": "WARNING",
        "PORTAL_URL": f"http://127.0.0.1:{port}",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(env: dict, dossiers: int) -> None:
    """Create, migrate and seed the bench database once; later runs reuse it."""
    name = urllib.parse.urlsplit(env["DATABASE_URL"]).path.lstrip("/")
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
        stderr=subprocess.DEVNULL,
        check=False,
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--dossiers", str(dossiers), "--force")
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", name, "-qc", "VACUUM ANALYZE"], check=True
    )
    manage(env, "collectstatic", "--noinput", "-v0")


def free_port() -> int:
    """A port nobody listens on (other benchmarks may run on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn, sync workers, as in production (docs/architecture.md, "Serving")."""

    def __init__(self, env: dict, port: int, workers: int = 2):
        self.env, self.port, self.workers = env, port, workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "connect.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited (port {self.port} taken?)")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


class Session:
    """A browser-like HTTP session: cookies kept, CSRF token read from the login form."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes, float, float]:
        """Status, body, seconds to the first byte, seconds to the last byte."""
        request = urllib.request.Request(self.base + path, headers=headers or {})
        start = time.perf_counter()
        try:
            response = self.opener.open(request)
        except urllib.error.HTTPError as error:
            response = error
        first = time.perf_counter() - start
        body = response.read()
        return response.status, body, first, time.perf_counter() - start

    def login(self, email: str, password: str = DEMO_PASSWORD) -> None:
        _, body, *_ = self.get("/connexion/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.decode(), "username": email, "password": password}
        ).encode()
        request = urllib.request.Request(
            self.base + "/connexion/", data=data, headers={"Referer": self.base + "/connexion/"}
        )
        response = self.opener.open(request)
        if "/connexion/" in response.url:
            sys.exit(f"login failed for {email}")

    def pass_second_factor(self, secret: str = DEMO_TOTP_SECRET) -> None:
        """Staff: the TOTP step after the login (connect/staff/second_factor.py). The account
        must be enrolled with `secret`; the token is computed here, with django-otp."""
        import base64

        from django_otp.oath import TOTP

        url = self.base + "/espace/verification/"
        _, body, *_ = self.get("/espace/verification/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        code = f"{TOTP(base64.b32decode(secret)).token():06d}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.decode(), "code": code})
        request = urllib.request.Request(url, data=data.encode(), headers={"Referer": url})
        if "/verification/" in self.opener.open(request).url:
            sys.exit("second factor refused (a code serves once: wait 30 s and retry)")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(session: Session, path: str, runs: int, warmup: int = 3, headers=None) -> dict:
    for _ in range(warmup):
        session.get(path, headers)
    first, total, status, size = [], [], 0, 0
    for _ in range(runs):
        status, body, to_first, to_last = session.get(path, headers)
        first.append(to_first * 1000)
        total.append(to_last * 1000)
        size = len(body)
    return {
        "status": status,
        "bytes": size,
        "p50": percentile(total, 0.5),
        "p95": percentile(total, 0.95),
        "first_p50": percentile(first, 0.5),
    }


def measure_interleaved(jobs: list[tuple], runs: int, warmup: int = 3) -> list[dict]:
    """`measure` for several (session, path, headers) at once, one request of each in turn.

    On a machine shared with other work the load drifts during a run; taking the paths in
    turn (the baseline among them) spreads the drift over all of them, so that the figures
    stay comparable with each other and with the baseline.
    """
    for _ in range(warmup):
        for session, path, headers in jobs:
            session.get(path, headers)
    first = [[] for _ in jobs]
    total = [[] for _ in jobs]
    last = [(0, 0)] * len(jobs)
    for _ in range(runs):
        for index, (session, path, headers) in enumerate(jobs):
            status, body, to_first, to_last = session.get(path, headers)
            first[index].append(to_first * 1000)
            total[index].append(to_last * 1000)
            last[index] = (status, len(body))
    return [
        {
            "status": last[index][0],
            "bytes": last[index][1],
            "p50": percentile(total[index], 0.5),
            "p95": percentile(total[index], 0.95),
            "first_p50": percentile(first[index], 0.5),
        }
        for index in range(len(jobs))
    ]
