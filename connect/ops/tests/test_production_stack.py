"""The production stack for real, on servers of the test's own (PostgreSQL, Redis, S3 by moto):

- node A is `deploy/serve.py` (what `make serve` runs): release (migrate, collectstatic),
  gunicorn from deploy/gunicorn.conf.py, two task workers, the scheduler;
- node B is a second gunicorn on the same database, cache and bucket.

Requests alternate between them (log in on A, upload on B, download and ZIP on A, the staff
reply on B), the workers send the notifications, and SIGTERM stops A gracefully.
"""

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import requests

from connect.documents import samples
from connect.testing.servers import (
    MotoS3,
    OwnPostgres,
    OwnRedis,
    WebNode,
    manage,
    port,
    production_env,
    wait_for_port,
)

PG_PORT, REDIS_PORT, MOTO_PORT = port(18133), port(18178), port(18153)
NODE_A, NODE_B = port(18103), port(18105)
ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "Demo-2026-connect!"
DEMO_TOTP = "JBSWY3DPEHPK3PXP"  # the demo staff's published secret (README)
pytestmark = pytest.mark.tools("postgresql", "redis-server")


@pytest.fixture(scope="module")
def stack():
    postgres, redis, s3 = OwnPostgres(PG_PORT), OwnRedis(REDIS_PORT), MotoS3(MOTO_PORT)
    var = Path(tempfile.mkdtemp(prefix="connect-stack-"))
    serve = node_b = None
    try:
        postgres.init()
        redis.start()
        s3.start().create_bucket("connect-stack")
        env = production_env(
            DATABASE_URL=postgres.url(),
            REDIS_URL=redis.url(),
            VAR_DIR=str(var),
            S3_BUCKET="connect-stack",
            S3_ENDPOINT_URL=s3.endpoint,
            S3_REGION="eu-west-3",
            S3_ACCESS_KEY_ID="test",
            S3_SECRET_ACCESS_KEY="test",
            EMAIL_BACKEND="file",
            LOG_FORMAT="json",
            METRICS_ALLOWED_NETWORKS="127.0.0.1/32",  # the test reads /readyz's figures
        )
        log = open(var / "serve.log", "wb")  # noqa: SIM115 (closed below)
        serve = subprocess.Popen(  # noqa: S603 (the test's own arguments)
            [sys.executable, "deploy/serve.py"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{NODE_A}",
                "WEB_WORKERS": "2",
                "TASK_WORKERS": "2",
            },
        )
        wait_for_port(NODE_A, timeout=240)  # after migrate and collectstatic
        manage("seed_demo", "--dossiers", "10", "--force", env=env)
        (var / "tmp").mkdir()
        node_b = WebNode(NODE_B, {**env, "TMPDIR": str(var / "tmp")}).start()
        yield {"serve": serve, "var": var, "b": node_b, "log": var / "serve.log"}
    finally:
        if serve is not None and serve.poll() is None:
            serve.terminate()
            serve.wait(timeout=90)
        if node_b is not None:
            node_b.stop()
        s3.stop()
        redis.stop()
        postgres.destroy()
        shutil.rmtree(var, ignore_errors=True)


def on(port: int, path: str) -> str:
    return f"http://127.0.0.1:{port}{path}"


def form_fields(html: str) -> dict:
    fields = {}
    for name in ("csrfmiddlewaretoken", "token"):
        found = re.search(rf'name="{name}" value="([^"]+)"', html)
        if found:
            fields[name] = found.group(1)
    return fields


def log_in(session: requests.Session, port: int, email: str) -> None:
    page = session.get(on(port, "/connexion/"), timeout=30)
    data = {**form_fields(page.text), "username": email, "password": PASSWORD}
    response = session.post(on(port, "/connexion/"), data=data, timeout=30)
    assert response.status_code == 200, response.text[:500]


def totp_now() -> str:
    import base64

    from django_otp.oath import totp
    from django_otp.util import hex_validator  # noqa: F401 (the key is base32, below)

    return f"{totp(base64.b32decode(DEMO_TOTP)):06d}"


def test_the_stack_answers_on_both_nodes(stack):
    for node in (NODE_A, NODE_B):
        ready = requests.get(on(node, "/readyz"), timeout=30)
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["storage"]["ok"]
        assert ready.headers["X-Request-ID"]


def test_a_round_trip_across_two_nodes(stack):
    repairer = requests.Session()
    log_in(repairer, NODE_A, "reparateur@demo.test")
    home = repairer.get(on(NODE_B, "/"), timeout=30)  # the session lives in Redis
    assert home.status_code == 200 and "reparateur@demo.test" in home.text
    code = re.search(r"/dossiers/([0-9a-f-]{36})/", home.text).group(1)

    # Upload on B (stored in the bucket)…
    compose = repairer.get(
        on(NODE_B, f"/dossiers/{code}/messages/nouveau/?objet=expert"), timeout=30
    )
    data = samples.pdf(f"Devis {uuid.uuid4()}", pages=3)
    sent = repairer.post(
        on(NODE_B, f"/dossiers/{code}/messages/nouveau/"),
        data={
            **form_fields(compose.text),
            "objet": "expert",
            "body": "Devis joint",
            "types": "devis",
        },
        files={"files": ("devis.pdf", data, "application/pdf")},
        timeout=60,
        allow_redirects=False,
    )
    assert sent.status_code == 302, sent.text[-3000:]

    # …downloaded and zipped on A.
    page = repairer.get(on(NODE_A, f"/dossiers/{code}/"), timeout=30)
    links = set(re.findall(rf"/dossiers/{code}/documents/([0-9a-f-]{{36}})/", page.text))
    downloads = [
        repairer.get(on(NODE_A, f"/dossiers/{code}/documents/{d}/"), timeout=30) for d in links
    ]
    assert any(r.status_code == 200 and r.content == data for r in downloads)
    archive = repairer.get(on(NODE_A, f"/dossiers/{code}/documents.zip"), timeout=60)
    assert archive.status_code == 200
    assert data in {
        z.read(n) for z in [zipfile.ZipFile(io.BytesIO(archive.content))] for n in z.namelist()
    }

    # The expert answers on B (password, then the second factor).
    expert = requests.Session()
    log_in(expert, NODE_B, "expert@demo.test")
    verify = expert.get(on(NODE_B, "/espace/verification/"), timeout=30)
    checked = expert.post(
        on(NODE_B, "/espace/verification/"),
        data={**form_fields(verify.text), "code": totp_now()},
        timeout=30,
    )
    assert checked.status_code == 200 and "/espace/verification/" not in checked.url
    inbox = expert.get(on(NODE_B, "/espace/messages/"), timeout=30)
    thread = re.search(r"/espace/messages/([0-9a-f-]{36})/", inbox.text).group(1)
    thread_page = expert.get(on(NODE_A, f"/espace/messages/{thread}/"), timeout=30)
    reply = expert.post(
        on(NODE_B, f"/espace/messages/{thread}/repondre/"),
        data={**form_fields(thread_page.text), "body": "Bien reçu, merci."},
        timeout=30,
        allow_redirects=False,
    )
    assert reply.status_code == 302, reply.text[:2000]

    # The task workers of A send the e-mails (file backend: VAR_DIR/mail).
    deadline = time.monotonic() + 90
    while not list((stack["var"] / "mail").glob("*")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert list((stack["var"] / "mail").glob("*")), "no e-mail sent by the workers"


def raw_upload(
    port: int,
    session: requests.Session,
    code: str,
    data: bytes,
    *,
    rate: int,
    stop_after: int | None = None,
):
    """POST a PDF to the composer over a bare socket, at `rate` bytes a second; stop after
    `stop_after` bytes of body and hang up (an aborted upload), else return the status."""
    compose = session.get(on(port, f"/dossiers/{code}/messages/nouveau/?objet=expert"), timeout=30)
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in {
            **form_fields(compose.text),
            "objet": "expert",
            "body": "Lent",
            "types": "devis",
        }.items()
    ]
    body = (
        "".join(parts).encode()
        + (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="gros.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    head = (
        f"POST /dossiers/{code}/messages/nouveau/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(body)}\r\nCookie: {cookies}\r\nConnection: close\r\n\r\n"
    ).encode()
    end = len(body) if stop_after is None else stop_after
    with socket.create_connection(("127.0.0.1", port), timeout=180) as sock:
        sock.sendall(head)
        slice_size, started = max(rate // 10, 1), time.monotonic()
        for offset in range(0, end, slice_size):
            sock.sendall(body[offset : min(offset + slice_size, end)])
            ahead = (offset + slice_size) / rate - (time.monotonic() - started)
            if ahead > 0:
                time.sleep(ahead)
        if stop_after is not None:
            return None
        status_line = sock.makefile("rb").readline().decode()
    return int(status_line.split()[1]), time.monotonic() - started


def big_pdf(size: int) -> bytes:
    """A valid PDF of about `size` bytes: a sample with comment lines after its header."""
    head, rest = samples.pdf("Gros devis", pages=2).split(b"\n", 1)
    line = b"%" + b"0" * 1022 + b"\n"
    return head + b"\n" + line * ((size - len(rest)) // len(line)) + rest


def repairer_session(port: int) -> tuple[requests.Session, str]:
    session = requests.Session()
    log_in(session, port, "reparateur@demo.test")
    home = session.get(on(port, "/"), timeout=30)
    return session, re.search(r"/dossiers/([0-9a-f-]{36})/", home.text).group(1)


def test_an_aborted_upload_leaves_no_temporary_file(stack):
    session, code = repairer_session(NODE_B)
    raw_upload(NODE_B, session, code, big_pdf(15_000_000), rate=50_000_000, stop_after=12_000_000)
    folder = stack["var"] / "uploads"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(1)
        leftovers = [p.name for p in folder.rglob("*.upload*")]
        if not leftovers:
            break
    assert leftovers == []
    assert requests.get(on(NODE_B, "/healthz"), timeout=30).status_code == 200


def test_a_worker_killed_mid_upload_leaves_no_temporary_file(stack):
    """A worker killed mid-body (a timeout, the OOM killer) cannot clean up: its master does."""
    session, code = repairer_session(NODE_B)
    holder = {}

    def upload():
        try:
            holder["sent"] = raw_upload(NODE_B, session, code, big_pdf(15_000_000), rate=1_000_000)
        except (OSError, IndexError):  # the worker died under it: what this test does
            holder["sent"] = None

    thread = threading.Thread(target=upload, daemon=True)
    thread.start()
    folder = stack["var"] / "uploads"
    deadline = time.monotonic() + 30
    while not list(folder.rglob("*.upload*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    spooled = list(folder.rglob("*.upload*"))
    assert spooled, "the upload should be spooling to a worker's folder"
    worker_pid = int(spooled[0].parent.name)
    os.kill(worker_pid, signal.SIGKILL)
    thread.join(timeout=60)
    deadline = time.monotonic() + 20
    while list(folder.rglob("*.upload*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(folder.rglob("*.upload*")) == []
    wait_for_port(NODE_B)
    assert requests.get(on(NODE_B, "/healthz"), timeout=30).status_code == 200


def test_a_20_mb_upload_over_a_450_kbps_link_succeeds(stack):
    # Longer than gunicorn's old 30 s timeout: the threaded worker keeps answering its master.
    session, code = repairer_session(NODE_B)
    status, seconds = raw_upload(NODE_B, session, code, big_pdf(20_000_000), rate=450_000)
    print(f"20 MB at 450 kB/s: {seconds:.1f} s, answered {status}")
    assert status == 302


def test_sigterm_stops_the_stack_gracefully(stack):
    serve = stack["serve"]
    serve.send_signal(signal.SIGTERM)
    assert serve.wait(timeout=90) == 0
    output = stack["log"].read_text(errors="replace")
    for name in ("web", "worker.1", "worker.2", "scheduler"):
        assert f"serve: {name} started" in output and f"serve: {name} stopped" in output
