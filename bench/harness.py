"""The one bench harness: options, settings, databases, gunicorn, an HTTP session, percentiles.

Every bench script takes the same options (`add_arguments`): `--database-url`, `--redis-url`,
`--port` and `--work-dir` (the script's private VAR_DIR: static files, uploaded files, logs).
Each script has its own defaults, so that two benches never share a database, a Redis database
or a folder; the port defaults to a free one. Nothing here flushes Redis: each bench's Redis
database is its own, and what it leaves there (sessions, rate-limit counters) expires.

Standard library only (urllib + a cookie jar) on the client side, so that the bench measures
the portal and not a client library. Every figure is wall-clock time seen by a client on the
same machine.
"""

import http.cookiejar
import math
import os
import re
import shutil
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
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"
DEMO_PASSWORD = "Demo-2026-connect!"
# connect/staff/demo.py: the demo staff's published TOTP secret (demo data only).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def add_arguments(parser, *, database: str, redis_db: int | None, work: str):
    """The options every bench script has, with that script's own defaults."""
    parser.add_argument(
        "--database-url",
        default=f"{POSTGRES}/{database}",
        help="PostgreSQL database of this bench (default: %(default)s)",
    )
    parser.add_argument(
        "--redis-url",
        default=f"{REDIS}/{redis_db}" if redis_db is not None else "",
        help="cache and sessions, as in production; '' for local memory + database sessions "
        "(default: %(default)r)",
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=Path("/tmp") / work,
        help="this bench's private folder: static, uploaded files, logs (default: %(default)s)",
    )
    return parser


def parse(parser):
    """The parsed options, with a free port chosen if none was given."""
    args = parser.parse_args()
    args.port = args.port or free_port()
    return args


def bench_env(args, **overrides) -> dict:
    """Production-like settings (DEBUG off, Redis cache and sessions unless `--redis-url ''`)
    against the bench's database and folder, over plain HTTP."""
    args.work_dir.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "DEBUG": "0",
        "TESTING": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "VAR_DIR": str(args.work_dir),
        "LOG_LEVEL": "WARNING",
        "PORTAL_URL": f"http://127.0.0.1:{args.port}",
        # A bench-only seal key (connect.E029 refuses production without one).
        "EVIDENCE_SIGNING_KEYS": "bench:NxBa0WITX_9LbUeJSHv6sdFJzmYYd1Gv5JcDPEbb1E0",
        **overrides,
    }


def setup_django(env: dict) -> None:
    """This process takes the bench's settings (for in-process work: seeding, SQL counts)."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "connect.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _database_name(env: dict) -> str:
    return urllib.parse.urlsplit(env["DATABASE_URL"]).path.lstrip("/")


def prepare_database(env: dict, dossiers: int, *seed_options: str) -> None:
    """Create, migrate and seed the bench database once; later runs reuse it.

    `seed_options`: more `seed_demo` options (`--garages N`, `--big-garage N`)."""
    name = _database_name(env)
    subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
        stderr=subprocess.DEVNULL,
        check=False,
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--dossiers", str(dossiers), "--force", *seed_options)
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", name, "-qc", "VACUUM ANALYZE"], check=True
    )
    manage(env, "collectstatic", "--noinput", "-v0")


def fresh_database(env: dict) -> None:
    """A new, empty, migrated database for a bench that builds its own data each run (its
    previous one dropped), its previous uploaded files removed; then Django set up on it.

    Only a database whose name says it is a bench's is dropped."""
    import psycopg

    name = _database_name(env)
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: a bench database's name contains 'bench'")
    server = env["DATABASE_URL"].rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    shutil.rmtree(Path(env["VAR_DIR"]) / "private", ignore_errors=True)
    setup_django(env)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)


def documents_world():
    """A unit, a garage with its repairer, one dossier (bench/dossier_page.py, bench/zip.py);
    returns (dossier, session cookie) — the session is made in-process, in the bench's Redis."""
    from django.test import Client

    from connect.accounts.models import Garage, Membership, Role, Unit, User
    from connect.dossiers.models import Dossier

    unit = Unit.objects.create(code="bench", name="Bench")
    garage = Garage.objects.create(
        external_id="BENCH", name="Garage Bench", unit=unit, visit_days=[0, 3]
    )
    user = User.objects.create_user(
        "bench@test.fr", "Un-mot-de-passe-solide-2026", role=Role.REPAIRER, full_name="Bench"
    )
    Membership.objects.create(user=user, garage=garage)
    dossier = Dossier(
        reference="424242",
        garage=garage,
        plate="GG-010-MZ",
        vehicle="BMW - SERIE 1 F40",
        insurer="AXA FRANCE",
    )
    dossier.set_derived_fields()
    dossier.save()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return dossier, f"sessionid={client.cookies['sessionid'].value}"


def free_port() -> int:
    """A port nobody listens on (other benchmarks may run on this machine)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_average() -> str:
    return "load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


class Server:
    """gunicorn with sync workers: production's processes (deploy/gunicorn.conf.py), one
    request at a time each instead of gthread's threads (docs/architecture.md, "Serving"); its
    log in the work folder."""

    def __init__(self, env: dict, port: int, workers: int = 2, timeout: int = 120, root=ROOT):
        self.env, self.port, self.workers, self.timeout = env, port, workers, timeout
        self.root = Path(root)  # another checkout (e.g. main) to measure before/after
        self.process: subprocess.Popen | None = None
        self.log = Path(env["VAR_DIR"]) / "gunicorn.log"

    def __enter__(self) -> "Server":
        if not (Path(self.env["VAR_DIR"]) / "static" / "staticfiles.json").exists():
            subprocess.run(
                [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=self.root,
                env=self.env,
                check=True,
            )
        log = open(self.log, "w")  # noqa: SIM115 - gunicorn's, for as long as it runs
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "connect.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                str(self.timeout),
                "--log-level",
                "warning",
            ],
            cwd=self.root,
            env=self.env,
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited (port {self.port} taken?), see {self.log}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start, see {self.log}")

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


class Session:
    """A browser-like HTTP session: cookies kept, CSRF token read from the login form; or
    `cookie` (e.g. a session made in-process) sent with every request."""

    def __init__(self, base: str, cookie: str = ""):
        self.base = base
        self.headers = {"Cookie": cookie} if cookie else {}
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes, float, float]:
        """Status, body, seconds to the first byte, seconds to the last byte."""
        request = urllib.request.Request(
            self.base + path, headers={**self.headers, **(headers or {})}
        )
        start = time.perf_counter()
        try:
            response = self.opener.open(request, timeout=120)
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
    """Nearest rank: the smallest value with at least `fraction` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(seconds: list[float]) -> str:
    """`p50 … ms · p95 … ms · p99 … ms` of durations in seconds."""
    p50, p95, p99 = (percentile(seconds, q) * 1000 for q in (0.5, 0.95, 0.99))
    return f"p50 {p50:6.1f} ms · p95 {p95:6.1f} ms · p99 {p99:6.1f} ms"


def measure(session: Session, path: str, runs: int, warmup: int = 3, headers=None) -> dict:
    return measure_interleaved([(session, path, headers)], runs, warmup)[0]


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
            "seconds": [ms / 1000 for ms in total[index]],
        }
        for index in range(len(jobs))
    ]
