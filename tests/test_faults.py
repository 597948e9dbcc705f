"""Faults injected on real processes and services of the test's own (issue 13): workers killed
with SIGKILL or stopped with SIGTERM, an SMTP server away, then back, or hanging, the
database stopped and started, Redis stopped and restarted empty.

Each test is bounded (a deadline, well under 30 s). They run where FAULTS=1 (CI's own step:
`FAULTS=1 pytest -m faults`), on ports of their own (connect.testing.servers.port): PostgreSQL
18232, Redis 18279, SMTP 18225.
"""

import contextlib
import os
import random
import signal
import socket
import threading
import time

import pytest

from connect.testing.servers import OwnPostgres, OwnRedis, SmtpSink, manage, port, start_manage

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(os.environ.get("FAULTS") != "1", reason="FAULTS=1 runs them (CI does)"),
    pytest.mark.tools("postgresql", "redis-server"),
]
PG_PORT, REDIS_PORT, SMTP_PORT = port(18232), port(18279), port(18225)
HANG_PORT = port(18226)
JOBS_TABLE = "django_tasks_database_dbtaskresult"


@pytest.fixture(scope="module")
def pg():
    own = OwnPostgres(PG_PORT).init()
    try:
        manage("migrate", "--noinput", env=worker_env(own))
        yield own
    finally:
        own.destroy()


@pytest.fixture
def db(pg):
    pg.sql(f"TRUNCATE {JOBS_TABLE}, jobs_lease, jobs_delivery CASCADE")
    return pg


def worker_env(pg, **extra) -> dict:
    env = {
        "DATABASE_URL": pg.url(),
        "REDIS_URL": "",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "EMAIL_TIMEOUT": "2",
        "JOB_LEASE_SECONDS": "3",
        "JOB_RETRY_FIRST_SECONDS": "1",
        "JOB_RETRY_MAX_SECONDS": "2",
        "JOB_STOP_GRACE_SECONDS": "2",
        "LOG_LEVEL": "WARNING",
    }
    # The test's environment plus these, as an operator's shell would pass them.
    return {**os.environ, "TESTING": "1", **env, **{key: str(v) for key, v in extra.items()}}


class Workers:
    """`manage.py db_worker` processes, killed and restarted at will, all ended at the end."""

    def __init__(self, env):
        self.env, self.processes, self.started = env, [], 0

    def start(self, count=1):
        for _ in range(count):
            self.started += 1
            worker_id = f"worker-{self.started}"
            arguments = ["db_worker", "--no-startup-delay", "--interval", "0.2"]
            process = start_manage(*arguments, "--worker-id", worker_id, env=self.env)
            process.worker_id = worker_id
            self.processes.append(process)
        return self

    def kill_one_mid_job(self, pg) -> bool:
        """SIGKILL a worker that holds a job's lease right now (and start another)."""
        holders = {row[0] for row in pg.sql("SELECT worker_id FROM jobs_lease")}
        candidates = [process for process in self.processes if process.worker_id in holders]
        if not candidates:
            return False
        process = random.choice(candidates)
        process.kill()
        process.wait(timeout=10)
        self.processes.remove(process)
        self.start()
        return True

    def alive(self):
        return [process for process in self.processes if process.poll() is None]

    def stop(self):
        for process in self.processes:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def workers(db):
    started = []

    def make(count=1, **extra):
        group = Workers(worker_env(db, **extra)).start(count)
        started.append(group)
        return group

    yield make
    for group in started:
        group.stop()


def enqueue(pg, code: str) -> None:
    manage("shell", "-c", code, env=worker_env(pg))


def enqueue_emails(pg, count: int) -> set[str]:
    enqueue(
        pg,
        "from connect.mail import send_email\n"
        f"for n in range({count}):\n"
        "    send_email.enqueue(to=[f'r{n}@example.test'], subject=f'n{n}', text='Texte')\n",
    )
    rows = pg.sql(f"SELECT id FROM {JOBS_TABLE} WHERE task_path = 'connect.mail.send_email'")
    return {f"<{row[0]}@connect-reparateurs>" for row in rows}


def statuses(pg) -> dict[str, int]:
    return dict(pg.sql(f"SELECT status, count(*) FROM {JOBS_TABLE} GROUP BY status"))


def wait_until(condition, *, seconds: float, step: float = 0.2, during=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        if during:
            during()
        time.sleep(step)
    return condition()


def all_successful(pg, count):
    return lambda: statuses(pg).get("SUCCESSFUL", 0) == count


def test_workers_killed_mid_job_lose_no_email_and_send_each_once(db, workers):
    smtp = SmtpSink(SMTP_PORT, delay=0.03).start()
    try:
        expected = enqueue_emails(db, 100)
        group = workers(2)
        kills = []

        def kill_now_and_then():
            # Six kills at random moments of the run (each restart takes a Django start-up).
            if len(kills) < 6 and statuses(db).get("SUCCESSFUL", 0) < 90:
                time.sleep(random.uniform(0, 0.3))
                if group.kill_one_mid_job(db):
                    kills.append(time.monotonic())

        done = wait_until(all_successful(db, 100), seconds=45, step=0.25, during=kill_now_and_then)
        assert done, statuses(db)
    finally:
        smtp.stop()
    received = smtp.message_ids
    repeats = len(received) - len(set(received))
    print(f"\n100 e-mails, {len(kills)} SIGKILL, {len(received)} received, {repeats} repeat(s)")
    assert set(received) == expected  # every e-mail arrived, none unknown
    # A repeat is possible only when a kill fell between the server's acceptance and the
    # commit of the delivery record; it carries the same Message-ID. Never more than the kills.
    assert repeats <= len(kills)
    assert len(kills) >= 3  # the test did kill workers mid-run
    reaped = db.sql(f"SELECT count(*) FROM {JOBS_TABLE} WHERE jsonb_array_length(worker_ids) > 1")[
        0
    ][0]
    assert reaped >= len(kills) // 2  # jobs ran again after their worker died mid-job


def test_smtp_away_then_back_delivers_every_email_once(db, workers):
    expected = enqueue_emails(db, 10)
    workers(2)
    assert wait_until(
        lambda: (
            db.sql(f"SELECT count(*) FROM {JOBS_TABLE} WHERE traceback LIKE '%SMTP unreachable%'")[
                0
            ][0]
            >= 5
        ),
        seconds=10,
    )
    assert statuses(db).get("FAILED", 0) == 0  # refused means retried, not lost
    smtp = SmtpSink(SMTP_PORT).start()
    try:
        assert wait_until(all_successful(db, 10), seconds=15), statuses(db)
    finally:
        smtp.stop()
    assert sorted(smtp.message_ids) == sorted(expected)


@pytest.fixture
def hanging_smtp():
    """Accepts connections and never says a word."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", HANG_PORT))
    server.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield accepted
    stop.set()
    thread.join(timeout=5)
    for connection in accepted:
        connection.close()
    server.close()


def test_a_hanging_smtp_server_does_not_hold_the_worker(db, workers, hanging_smtp):
    enqueue_emails(db, 1)
    enqueue(
        db,
        "from connect.jobs.tests.tasks import flaky\n"
        "for _ in range(5):\n    flaky.enqueue(fail_times=0)\n",
    )
    workers(1, EMAIL_PORT=HANG_PORT, EMAIL_TIMEOUT=1)
    assert wait_until(lambda: statuses(db).get("SUCCESSFUL", 0) == 5, seconds=15), statuses(db)
    assert hanging_smtp  # the worker did connect, and hung up after EMAIL_TIMEOUT
    mail = db.sql(
        f"SELECT status, traceback FROM {JOBS_TABLE} WHERE task_path LIKE 'connect.mail%'"
    )
    assert mail[0][0] in {"READY", "RUNNING"}  # waiting for its next attempt, not lost
    assert wait_until(
        lambda: (
            "timed out"
            in db.sql(f"SELECT traceback FROM {JOBS_TABLE} WHERE task_path LIKE 'connect.mail%'")[
                0
            ][0]
        ),
        seconds=5,
    )


def test_sigterm_stops_a_worker_within_the_grace_period_and_gives_the_job_back(db, workers):
    enqueue(db, "from connect.jobs.tests.tasks import sleepy\nsleepy.enqueue(seconds=60)\n")
    group = workers(1)
    assert wait_until(lambda: statuses(db).get("RUNNING") == 1, seconds=10)
    process = group.processes[0]
    sent = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
    print(f"\nSIGTERM → exit in {time.monotonic() - sent:.1f} s (grace 2 s)")
    assert statuses(db) == {"READY": 1}  # given back, another worker takes it at once
    assert db.sql("SELECT count(*) FROM jobs_lease")[0][0] == 0


def test_workers_wait_for_the_database_and_carry_on(db, workers):
    group = workers(2)
    time.sleep(1.5)  # the workers are polling
    db.stop()
    try:
        time.sleep(4)
        assert len(group.alive()) == 2  # they wait instead of exiting
    finally:
        db.start()
    enqueue(
        db,
        "from connect.jobs.tests.tasks import flaky\n"
        "for _ in range(6):\n    flaky.enqueue(fail_times=0)\n",
    )
    assert wait_until(lambda: statuses(db).get("SUCCESSFUL", 0) == 6, seconds=20), statuses(db)
    assert len(group.alive()) == 2


# Redis (own redis-server): the portal in this process, its cache pointed at it -------------


@pytest.fixture
def own_redis(settings):
    from django.core.cache import caches

    from connect.cache import ForgivingRedisCache

    redis = OwnRedis(REDIS_PORT).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "connect.cache.ForgivingRedisCache",
            "LOCATION": redis.url(),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    ForgivingRedisCache._down_until = 0.0
    caches._settings = None  # type: ignore[attr-defined]
    yield redis
    redis.stop()
    ForgivingRedisCache._down_until = 0.0


@pytest.mark.django_db
def test_redis_stopped_then_restarted_empty_keeps_pages_login_api_and_sessions(
    own_redis, client, world
):
    from django.test import Client

    from connect.api.models import ApiToken
    from connect.cache import ForgivingRedisCache
    from connect.testing import PASSWORD, ApiClient

    def log_in(browser):
        form = {"username": world.repairer.email, "password": PASSWORD}
        return browser.post("/connexion/", form)

    assert log_in(client).status_code == 302
    assert client.get("/").status_code == 200
    _, key = ApiToken.issue("Système central")

    own_redis.stop()
    assert client.get("/").status_code == 200  # still logged in: the session is in the database
    assert log_in(Client()).status_code == 302
    assert ApiClient(client, key).get("/api/v1/events").status_code == 200

    own_redis.start()  # empty: no persistence
    ForgivingRedisCache._down_until = 0.0
    assert client.get("/").status_code == 200
    assert "/connexion/" not in client.get("/", follow=True).redirect_chain.__str__()
