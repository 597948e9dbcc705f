"""Test helpers and constants, imported by the tests as `from connect.testing import …`: the
personas' password and login, the task queue drained, stored files, the API client, concurrency.
The servers a test starts for itself (PostgreSQL, Redis, S3, SMTP, clamd, gunicorn) are in
`connect.testing.servers`.

The fixtures live in the root `conftest.py` (which imports these). Nothing here imports models
or other Django machinery at module import: that happens inside the functions, once Django is
set up.
"""

import json

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

    Staff and clients' users also pass the second factor: a confirmed TOTP device marks the
    session verified, as `django_otp.login` does after a right code
    (connect/staff/second_factor.py).
    """
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # A forced login is a persona already past its first page: the show-once updates window
    # (set by every login, connect/updates/window.py) is tested through the login form instead.
    session = client.session
    session.pop("show_updates", None)
    session.save()
    if user.needs_second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def run_tasks(queue_name: str = "default"):
    """Drain a task queue with the real database worker, as production does (the photos'
    readings have a queue of their own: `run_tasks("reading")`)."""
    from unittest import mock

    from django.core.management import call_command

    # The worker drops "obsolete" connections between jobs; inside a test's transaction that
    # would close the test's own PostgreSQL connection (SQLite in memory survives it).
    with (
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch("connect.jobs.worker.close_old_connections"),
    ):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--queue-name", queue_name, verbosity=0
        )


# Stored files and storage failures (documents and messaging tests) -------------------------


def private_storages(folder) -> dict:
    """STORAGES with the stored files (documents, thumbnails…) in `folder`, never var/private;
    on S3 (S3_BUCKET set, `.ci/run`) under a key prefix of their own."""
    import uuid

    from django.conf import settings

    default = settings.STORAGES["default"]
    on_s3 = default["BACKEND"] == "storages.backends.s3.S3Storage"
    location = f"tests/{uuid.uuid4().hex}" if on_s3 else str(folder)
    options = {**default.get("OPTIONS", {}), "location": location}
    return {**settings.STORAGES, "default": {**default, "OPTIONS": options}}


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
        "client": None,
        "client_region": "",
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


# Pages: the URL table and accessibility (the access-policy guard, the browser tests) ---------


def iter_routes(patterns=None, prefix="", namespace=None):
    """Every route of the URL configuration: (path, URLPattern, namespace)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from iter_routes(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


def policy_of(pattern, namespace):
    if namespace == "admin":
        return "admin"
    return getattr(pattern.callback, "access_policy", None)


def non_admin_routes() -> list:
    """The named routes outside Django's admin."""
    return [route for route in iter_routes() if route[2] != "admin" and route[1].name]


def axe_violations(page, impacts=("serious", "critical")):
    """What axe-core finds on a Playwright page, at these impacts (None: every one)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if impacts is None or v["impact"] in impacts
    ]


# Malware scanning: the file clamd must refuse ------------------------------------------------


def eicar() -> bytes:
    """The EICAR test string, assembled at run time so that no file of the repository holds it
    (a developer's own antivirus would quarantine it)."""
    return b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE!$H+H*"


def log_in(page, live_server, user, *, device=None) -> None:
    """Log in through the login form, as a person does, with the staff's TOTP step when a
    `device` is given, and wait for the first page past the login."""
    page.goto(f"{live_server.url}/connexion/")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    if device is not None:
        from django_otp.oath import TOTP

        code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
        page.get_by_label("Code de vérification").fill(f"{code:06d}")
        page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)
    page.wait_for_load_state()


def log_out(page) -> None:
    """Log out through the user menu, as a person does, and wait for the login page: the logout
    first unsubscribes the browser from push (portal.js), so a navigation started at once would
    be aborted by the logout's own."""
    from playwright.sync_api import expect

    page.locator("details.user-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator("input[name=username]")).to_be_visible()


# The network blocked (readings: nothing is fetched) -----------------------------------------


class NetworkBlocked(AssertionError):
    """A connection was attempted to anything but loopback while the network was blocked."""


LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def network_blocked(monkeypatch):
    """For the rest of the test, a connection to anything but loopback (and any DNS lookup but
    of localhost) raises NetworkBlocked; local sockets (clamd's, PostgreSQL's) still work."""
    import socket

    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOOPBACK:
            raise NetworkBlocked(f"connection attempted to {address!r}")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise NetworkBlocked(f"DNS lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
