"""Test helpers and constants, imported by the tests as `from connect.testing import …`.

The fixtures live in the root `conftest.py` (which imports these). Nothing here imports models
or other Django machinery at module import: that happens inside the functions, once Django is
set up.
"""

import json
from typing import Any

PASSWORD = "Un-mot-de-passe-solide-2026"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def login_as(client, user):
    """Log a persona in the way the portal would (staff included).

    Staff also pass the second factor: a confirmed TOTP device marks the session verified,
    as `django_otp.login` does after a right code (connect/staff/second_factor.py).
    """
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # A forced login is a persona already past its first page: the show-once updates window
    # (set by every login, connect/updates/window.py) is tested through the login form instead.
    session = client.session
    session.pop("show_updates", None)
    session.save()
    if user.is_firm_staff:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def run_tasks():
    """Drain the task queue with the real database worker, as production does."""
    from unittest import mock

    from django.core.management import call_command

    # The worker drops "obsolete" connections between jobs; inside a test's transaction that
    # would close the test's own PostgreSQL connection (SQLite in memory survives it).
    with (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch("connect.jobs.worker.close_old_connections"),
    ):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


# Stored files and storage failures (documents and messaging tests) -------------------------


def stored_files() -> list[str]:
    """Every file under the storage's `documents/` folder (what an upload left behind)."""
    from django.core.files.storage import default_storage

    found = []

    def walk(directory):
        if not default_storage.exists(directory):
            return
        folders, files = default_storage.listdir(directory)
        found.extend(f"{directory}/{name}" for name in files)
        for folder in folders:
            walk(f"{directory}/{folder}")

    walk("documents")
    return found


def fail_storage_save(monkeypatch, *, at: int = 1) -> list[str]:
    """Make the `at`-th file save raise OSError("disk full") (the others are stored); returns
    the names of every save attempted, the failed one included."""
    from django.core.files.storage import FileSystemStorage

    original = FileSystemStorage._save  # type: ignore[attr-defined]
    calls = []

    def flaky(self, name, content):
        calls.append(name)
        if len(calls) == at:
            raise OSError("disk full")
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", flaky)
    return calls


# The integration API (connect/api/tests) ----------------------------------------------------


class ApiClient:
    """The Django test client speaking JSON with a bearer token."""

    def __init__(self, client, key):
        self.client, self.key = client, key

    def headers(self, extra=None):
        return {"Authorization": f"Bearer {self.key}", **(extra or {})}

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers())

    def put(self, path, data, headers=None):
        return self.client.put(
            path, json.dumps(data), content_type="application/json", headers=self.headers(headers)
        )

    def post(self, path, data, headers=None):
        return self.client.post(
            path, json.dumps(data), content_type="application/json", headers=self.headers(headers)
        )

    def upload(self, path, data, headers=None):
        return self.client.post(path, data, headers=self.headers(headers))


def dossier_payload(garage="GA", **overrides):
    payload = {
        "garage": garage,
        "plate": "GG-010-MZ",
        "claim_reference": "0040230002053373",
        "vehicle": "BMW - SERIE 1 F40",
        "insurer": "AXA FRANCE",
        "status_label": "N.C.",
        "insured_name": "OGIC ILE DE FRANCE EST",
        "appointment_at": "2026-12-03T14:30:00+01:00",
        "impact": "à l'avant droit",
        "repair_amount": "2725.90",
        "ve_procedure": True,
        "ve_follow_up": True,
        "remote_assessment": False,
        "awaiting_ead": False,
        "approved_repairer_mission": False,
        "mission_received_on": "2026-11-20",
        "awaiting_invoice": False,
        "archived": False,
        "expert_email": "expert@test.fr",
        "advisor_email": "conseiller@test.fr",
    }
    payload.update(overrides)
    return payload


# Concurrency (PostgreSQL tests) --------------------------------------------------------------


def at_once(function, times: int) -> list:
    """Call `function` from `times` threads released together, each on its own database
    connection: what each call returned (in completion order); the first error raised, if any,
    is raised here."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # noqa: BLE001 - raised below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


# Fault tests (tests/test_faults.py): services of the test's own, real processes -------------


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root (CI), run its programs as `postgres`."""
    import os

    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class OwnPostgres:
    """A PostgreSQL cluster of the test's own (data folder under tmp, own port), which the test
    may stop and start; the machine's shared cluster is never touched."""

    def __init__(self, folder, port: int):
        import glob
        import shutil

        self.folder, self.port = folder, port
        installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        self.bin = shutil.which("pg_ctl") or (installed[-1] if installed else "pg_ctl")
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *args: str) -> None:
        import subprocess

        subprocess.run(_as_postgres([self.bin, *args]), check=True, capture_output=True, timeout=60)

    def create(self) -> "OwnPostgres":
        import os
        import shutil
        import subprocess

        os.makedirs(self.folder, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        initdb = os.path.join(os.path.dirname(self.bin), "initdb")
        command = [initdb, "-D", str(self.folder), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        subprocess.run(_as_postgres(command), check=True, capture_output=True, timeout=60)
        return self.start()

    def start(self) -> "OwnPostgres":
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        self._run("-D", str(self.folder), "-o", options, "-l", f"{self.folder}/log", "-w", "start")
        return self

    def stop(self) -> None:
        self._run("-D", str(self.folder), "-m", "immediate", "-w", "stop")

    def sql(self, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
            cursor = connection.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []


class OwnRedis:
    """A redis-server of the test's own, without persistence, that the test stops and starts."""

    def __init__(self, port: int):
        self.port = port
        self.process: Any = None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> "OwnRedis":
        import socket
        import subprocess
        import time

        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("own redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


class SmtpSink:
    """A real SMTP server (aiosmtpd) on the loopback that keeps the Message-ID of every message
    it accepted; `delay` holds each DATA reply, so a worker killed meanwhile is killed mid-send."""

    def __init__(self, port: int, delay: float = 0.0):
        self.port, self.delay = port, delay
        self.message_ids: list[str] = []
        self.controller: Any = None

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email

        message = email.message_from_bytes(envelope.content)
        self.message_ids.append(message["Message-ID"])
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    def start(self) -> "SmtpSink":
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def manage(env: dict, *args: str, background: bool = False):
    """Run `manage.py …` in a process of its own, with `env` added to this one's environment
    (minus the test settings' overrides), from the repository root."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    full_env = {**os.environ, "TESTING": "1", **env}
    command = [sys.executable, str(root / "manage.py"), *args]
    if background:
        return subprocess.Popen(
            command, env=full_env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
    return subprocess.run(
        command, env=full_env, cwd=root, check=True, capture_output=True, timeout=120
    )
