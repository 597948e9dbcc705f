"""Test helpers and constants, imported by the tests as `from connect.testing import …`.

The fixtures live in the root `conftest.py` (which imports these). Nothing here imports models
or other Django machinery at module import: that happens inside the functions, once Django is
set up.
"""

import json
import subprocess
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


def stored_files(folder: str = "documents") -> list[str]:
    """Every file under a folder of the storage (`documents/`: what an upload left behind;
    `uploads/`: the parts of resumable uploads)."""
    from django.core.files.storage import default_storage

    found: list[str] = []

    def walk(directory):
        try:  # an object store has no folders to test for
            folders, files = default_storage.listdir(directory)
        except FileNotFoundError:
            return
        found.extend(f"{directory}/{name}" for name in files)
        for folder in folders:
            walk(f"{directory}/{folder}")

    walk(folder)
    return found


def fail_storage_save(monkeypatch, *, at: int = 1) -> list[str]:
    """Make the `at`-th file save raise OSError("disk full") (the others are stored); returns
    the names of every save attempted, the failed one included."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    backend = import_string(settings.STORAGES["default"]["BACKEND"])  # local folder or S3
    original = backend._save
    calls = []

    def flaky(self, name, content):
        calls.append(name)
        if len(calls) == at:
            raise OSError("disk full")
        return original(self, name, content)

    monkeypatch.setattr(backend, "_save", flaky)
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


def twin_between_check_and_write(monkeypatch, model, twin, *, field: str = "idempotency_key"):
    """A double submit's race made deterministic, on SQLite too: the first look-up of a `model`
    row by its key `field` misses, and `twin` (the identical call, which writes that row) runs
    just after it, as a concurrent twin committing between the check and the insert would.
    Returns a list that holds what `twin` returned once it has run."""
    from django.db.models import QuerySet

    real_filter = QuerySet.filter
    twins: list = []

    def filter(self, *args, **kwargs):
        if self.model is not model or field not in kwargs:
            return real_filter(self, *args, **kwargs)
        monkeypatch.setattr(QuerySet, "filter", real_filter)  # the twin and re-reads: real
        twins.append(twin())
        return real_filter(self, *args, **kwargs).none()

    monkeypatch.setattr(QuerySet, "filter", filter)
    return twins


# Servers of a test's own (outage tests): never the machine's shared PostgreSQL or Redis ------


def _as_postgres(command: list[str]) -> list[str]:
    import os

    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class OwnPostgres:
    """A PostgreSQL with its own data folder and port, that a test may stop and start again."""

    def __init__(self, port: int):
        import glob
        import tempfile
        from pathlib import Path

        self.port = port
        self.bin = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
        self.root = Path(tempfile.mkdtemp(prefix=f"connect-pg-{port}-"))
        self.data = self.root / "data"

    def _run(self, *command: str, timeout: int = 120) -> None:
        import subprocess

        subprocess.run(  # noqa: S603 (the test's own arguments)
            _as_postgres(list(command)), check=True, capture_output=True, timeout=timeout
        )

    def init(self, database: str = "connect") -> "OwnPostgres":
        import os
        import shutil

        self.root.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres")
        self.start()
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), database)
        return self

    def start(self) -> "OwnPostgres":
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w", "-t", "60",
            "-l", str(self.root / "log"), "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "connect") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, query: str, *params, database: str = "connect") -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as db:
            cursor = db.execute(query, params or None)
            return cursor.fetchall() if cursor.description else []

    def destroy(self) -> None:
        import shutil
        import subprocess

        subprocess.run(  # noqa: S603 (the test's own arguments)
            _as_postgres(
                [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(self.root, ignore_errors=True)


class _ServerProcess:
    """A server the test started as a process of its own, and stops."""

    process: Any = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


class OwnRedis(_ServerProcess):
    """A Redis without persistence on its own port, stopped and started by the test."""

    def __init__(self, port: int):
        import subprocess

        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> "OwnRedis":
        import shutil
        import subprocess

        server = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603 (the test's own arguments)
            [server, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)
        return self

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


def wait_for_port(port: int, *, timeout: float = 60) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def production_env(**extra: str) -> dict:
    """What an operator sets (DEBUG off), minus HTTPS redirects: the tests speak plain HTTP."""
    import os

    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "connect.settings",
        "DEBUG": "0",
        "SECRET_KEY": "test-only-production-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_URL": "http://127.0.0.1:8000",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "EMAIL_BACKEND": "memory",
        **extra,
    }


def manage(*args: str, env: dict, timeout: int = 300) -> str:
    """Run a management command the way an operator would; returns what it printed."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args], cwd=root, env=env,
        capture_output=True, timeout=timeout, text=True,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


class WebNode:
    """gunicorn with the repository's config file, on a port of its own."""

    def __init__(self, port: int, env: dict):
        import subprocess
        import tempfile

        self.port, self.env = port, env
        self.process: subprocess.Popen | None = None
        self.api_key = ""
        # A file, not a pipe: a full pipe would block the node mid-test.
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (lives as long as the node)
            prefix=f"connect-web-{port}-", suffix=".log"
        )

    def start(self) -> "WebNode":
        import subprocess
        import sys
        from pathlib import Path

        root = Path(__file__).resolve().parent.parent
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603 (the test's own arguments)
            [str(gunicorn), "--config", "deploy/gunicorn.conf.py", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "connect.wsgi"],
            cwd=root, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for_port(self.port)
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> str:
        """Graceful stop; returns what the node logged."""
        if self.process is None:
            return ""
        self.process.terminate()
        self.process.wait(timeout=60)
        self.process = None
        return self.logged()

    def logged(self) -> str:
        with open(self.log.name, encoding="utf-8", errors="replace") as lines:
            return lines.read()


# An S3 endpoint of the tests' own: moto's server mode, a real HTTP server on the loopback ---


class MotoS3(_ServerProcess):
    """`moto_server` on its own port; `options()` are S3Storage's OPTIONS for one bucket."""

    def __init__(self, port: int):
        import subprocess

        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "MotoS3":
        import subprocess
        import sys
        from pathlib import Path

        server = Path(sys.executable).parent / "moto_server"
        self.process = subprocess.Popen(  # noqa: S603 (the test's own arguments)
            [str(server), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        # Ours, not another run's server already on that port.
        assert self.process.poll() is None, f"port {self.port} is taken"
        return self

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="eu-west-3",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )

    def create_bucket(self, name: str) -> None:
        client = self.client()
        existing = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
        if name not in existing:
            client.create_bucket(
                Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
            )

    def options(self, bucket: str, prefix: str = "") -> dict:
        return {
            "bucket_name": bucket,
            "endpoint_url": self.endpoint,
            "region_name": "eu-west-3",
            "access_key": "test",
            "secret_key": "test",
            "location": prefix,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": "path",
        }


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


def start_manage(*args: str, env: dict):
    """`manage.py …` left running in a process of its own (a worker the test will kill)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return subprocess.Popen(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args], cwd=root, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


# A real clamd on the loopback, with a signature database built here (none can be downloaded) --


def eicar() -> bytes:
    """The EICAR test string, assembled at run time so that no file of the repository holds it
    (a developer's own antivirus would quarantine it)."""
    return b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE!$H+H*"


class Clamd:
    """clamd started in its own folder on its own port, killed by `stop()` (and only it)."""

    def __init__(self, folder, port: int):
        import shutil

        self.folder, self.port = folder, port
        self.address = f"127.0.0.1:{port}"
        binary = shutil.which("clamd") or "/usr/sbin/clamd"
        database = folder / "db"
        database.mkdir(parents=True, exist_ok=True)
        # A body signature: EICAR anywhere in a file (a PDF carrying it, a JPEG with it
        # appended). The whole-file MD5 form is what `sigtool --md5` would write.
        (database / "local.ndb").write_text(f"Connect.Test.EICAR:0:*:{eicar().hex()}\n")
        import hashlib

        md5 = hashlib.md5(eicar(), usedforsecurity=False).hexdigest()
        (database / "local.hdb").write_text(f"{md5}:{len(eicar())}:Connect.Test.EICAR.File\n")
        config = folder / "clamd.conf"
        config.write_text(
            "Foreground yes\n"
            f"TCPSocket {port}\nTCPAddr 127.0.0.1\n"
            f"DatabaseDirectory {database}\nLogFile {folder / 'clamd.log'}\n"
            "StreamMaxLength 30M\nMaxFileSize 30M\nMaxScanSize 100M\n"
        )
        self.binary, self.config = binary, config
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> "Clamd":
        import subprocess
        import time

        self.process = subprocess.Popen(  # noqa: S603 (our own clamd and config file)
            [self.binary, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"clamd exited: see {self.folder / 'clamd.log'}")
            if self.ping():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("clamd did not answer in time")

    def ping(self) -> bool:
        from clamav_client.clamd import ClamdError, ClamdNetworkSocket

        try:
            return ClamdNetworkSocket("127.0.0.1", self.port, timeout=2).ping() == "PONG"
        except (ClamdError, OSError):
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
