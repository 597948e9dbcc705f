"""Shared by bench/dossier_page.py and bench/zip.py: a PostgreSQL database of our own, a
garage, a repairer's session, and gunicorn serving the portal with production-like settings.

Like production, cache and sessions live in Redis (REDIS_URL, database 6 by default; override
with BENCH_REDIS_URL, or set it empty to fall back to database sessions): with
SESSION_SAVE_EVERY_REQUEST, database sessions would add an UPDATE + COMMIT to every request.

Everything generated lives under /tmp/bench_documents (files, static, logs), never in the repo.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("BENCH_VAR_DIR", "/tmp/bench_documents"))
DB_NAME = os.environ.get("BENCH_DB", "bench_documents")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "18765"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")

ENV = {
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "VAR_DIR": str(VAR),
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "LOG_LEVEL": "WARNING",
    "REDIS_URL": REDIS_URL,
}


def setup_django(reset: bool = True) -> None:
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "connect.settings"
    sys.path.insert(0, str(ROOT))
    if reset:
        import psycopg

        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        subprocess.run(["rm", "-rf", str(VAR)], check=True)
        VAR.mkdir(parents=True)
        if REDIS_URL:
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()  # this bench's own Redis database
    import django

    django.setup()
    from django.core.management import call_command

    if reset:
        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)


def make_world():
    """A unit, a garage with its repairer, one dossier; returns (dossier, session cookie)."""
    from django.test import Client

    from connect.accounts.models import Garage, Membership, Role, Unit, User
    from connect.dossiers.models import Dossier

    unit = Unit.objects.create(code="bench", name="Bench")
    garage = Garage.objects.create(external_id="BENCH", name="Garage Bench", unit=unit,
                                   visit_days=[0, 3])  # fmt: skip
    user = User.objects.create_user("bench@test.fr", "Un-mot-de-passe-solide-2026",
                                    role=Role.REPAIRER, full_name="Bench")  # fmt: skip
    Membership.objects.create(user=user, garage=garage)
    dossier = Dossier(reference="424242", garage=garage, plate="GG-010-MZ",
                      vehicle="BMW - SERIE 1 F40", insurer="AXA FRANCE")  # fmt: skip
    dossier.set_derived_fields()
    dossier.save()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies["sessionid"].value
    return dossier, f"sessionid={cookie}"


class Gunicorn:
    def __init__(self, workers: int = 2):
        self.workers = workers
        self.process = None

    def __enter__(self):
        log = open(VAR / "gunicorn.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "connect.wsgi", "-b", f"127.0.0.1:{PORT}",
             "-w", str(self.workers), "--worker-class", "sync", "--timeout", "120"],
            cwd=ROOT, env={**os.environ, **ENV}, stdout=log, stderr=log,
        )  # fmt: skip
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not start; see {VAR / 'gunicorn.log'}")
        time.sleep(0.5)
        return self

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def get(path: str, cookie: str = "") -> bytes:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return response.read()


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def at(q):
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return f"p50 {at(0.5):6.1f} ms · p95 {at(0.95):6.1f} ms · p99 {at(0.99):6.1f} ms"


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", status, re.M).group(1))
