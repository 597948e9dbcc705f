"""Servers of a test's own, on the loopback and on ports of its own: never the machine's shared
PostgreSQL or Redis. PostgreSQL and Redis that a test stops and starts again, moto's S3, an SMTP
sink, clamd with a locally built signature, gunicorn nodes and management commands run the way an
operator would.
"""

import os
import subprocess
from pathlib import Path
from typing import Any

from connect.testing import eicar

ROOT = Path(__file__).resolve().parents[2]

# The programs a test may need besides Python: where Debian puts them, and their package.
# `make test` and `.ci/run` install the missing ones as root (scripts/ensure-test-tools).
TOOLS = {
    "chromium": ("/usr/bin/chromium", "chromium"),
    "clamd": ("/usr/sbin/clamd", "clamav-daemon"),
    "postgresql": ("/usr/lib/postgresql/*/bin/initdb", "postgresql"),
    "redis-server": ("/usr/bin/redis-server", "redis-server"),
}


def require_tools(*names: str) -> None:
    """Fail the test that needs a program the machine lacks, saying what to install: a test
    silently skipped is a promise silently unchecked. SKIP_MISSING_TOOLS=1 skips it instead,
    except in CI."""
    import glob

    import pytest

    missing = [TOOLS[name][1] for name in sorted(names) if not glob.glob(TOOLS[name][0])]
    if not missing:
        return
    packages = " ".join(missing)
    message = (
        f"missing Debian package(s): {packages}. As root: `apt-get install -y {packages}` "
        "(`make test` does it: scripts/ensure-test-tools); or SKIP_MISSING_TOOLS=1 to skip"
    )
    if os.environ.get("SKIP_MISSING_TOOLS") == "1" and not os.environ.get("CI"):
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def port(base: int) -> int:
    """A port of the tests' own (18xxx) for this process: TEST_PORT_OFFSET moves a whole run
    (two checkouts testing at once), and each pytest-xdist worker adds 500 (gw1: 18310 → 18810)
    so that workers never start two servers on one port."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return base + int(os.environ.get("TEST_PORT_OFFSET", "0")) + 500 * int(worker or 0)


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
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "log"),
            "start",
        )
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
            [
                server,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
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
        # A published test-only seal key (connect.E029 refuses production without one).
        "EVIDENCE_SIGNING_KEYS": "test:NxBa0WITX_9LbUeJSHv6sdFJzmYYd1Gv5JcDPEbb1E0",
        **extra,
    }


def manage(*args: str, env: dict, timeout: int = 300) -> str:
    """Run a management command the way an operator would; returns what it printed."""
    import subprocess
    import sys

    done = subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=timeout,
        text=True,
    )
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

        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(  # noqa: S603 (the test's own arguments)
            [
                str(gunicorn),
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "connect.wsgi",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
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

    return subprocess.Popen(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


# A real clamd on the loopback, with a signature database built here (none can be downloaded) --


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
