"""Shared fixtures: the personas of docs/security.md and the world they live in.

Helpers and constants (PASSWORD, login_as, run_tasks…) live in connect/testing/, the servers a
test starts for itself in connect/testing/servers.py.

`world` holds two units, three garages and one dossier per garage of unit 1:
- repairer, colleague: garage A (unit 1) — dossier_a is theirs
- other_repairer: garage B (unit 1)
- expert, advisor, manager: unit 1; other_expert: unit 2; admin: everything
- client_user: a user of `client` (Assureur A), whose portfolio holds dossier_a
"""

import contextlib
import os
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

import pytest

from connect.testing import CHROMIUM_ARGS, PASSWORD, login_as, private_storages
from connect.testing.servers import Clamd, port, require_tools

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


def pytest_runtest_setup(item):
    """After the skip markers, before the fixtures: a test declares the programs it needs
    (`@pytest.mark.tools("clamd")`; a browser test needs Chromium); one missing fails it,
    saying what to install (SKIP_MISSING_TOOLS=1 skips it instead, except in CI)."""
    names = {name for marker in item.iter_markers("tools") for name in marker.args}
    if "browser" in item.keywords:
        names.add("chromium")
    if names:
        require_tools(*names)


@pytest.fixture(autouse=True)
def _memory_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Stored files (documents, thumbnails…) go to a per-test folder, never to var/private;
    on S3 (S3_BUCKET set, `.ci/run`) to a per-test key prefix of the bucket."""
    settings.STORAGES = private_storages(tmp_path / "private")


@pytest.fixture(scope="session", autouse=True)
def _worker_cache():
    """Each pytest-xdist worker on a Redis database of its own (REDIS_URL's number plus the
    worker's, `/6` → 6 and 7): `_fresh_cache` empties the whole database (FLUSHDB, whatever
    the key prefix), which would wipe the keys of a test running on the other worker."""
    from django.conf import settings
    from django.test import override_settings

    cache = settings.CACHES["default"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    if not cache.get("LOCATION", "").startswith("redis://") or worker == "0":
        yield
        return
    url = urlsplit(cache["LOCATION"])
    location = urlunsplit(url._replace(path=f"/{int(url.path.strip('/') or 0) + int(worker)}"))
    with override_settings(CACHES={**settings.CACHES, "default": {**cache, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Database ids repeat from test to test: a cached value must not outlive its test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _migrated_rows(request):
    """The rows data migrations seed (the shot lists, the service levels) for every test that
    uses the database: a transactional test (the browser's) flushes every table at its end,
    migrated rows included, for the tests that follow it. Two queries when they are there."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from connect.deadlines.levels import seed_defaults as seed_default_levels
    from connect.deadlines.models import ServiceLevel
    from connect.documents.models import ShotList
    from connect.documents.shots import seed_defaults

    if not ShotList.objects.exists():
        seed_defaults()
    if not ServiceLevel.objects.exists():
        seed_default_levels(ServiceLevel)


@pytest.fixture
def world(db):
    from connect.accounts.models import Garage, Membership, Role, Unit, User
    from connect.dossiers.models import Dossier

    unit1 = Unit.objects.create(code="u1", name="Unité 1")
    unit2 = Unit.objects.create(code="u2", name="Unité 2")

    def user(email, role, unit=None, **extra):
        return User.objects.create_user(
            email, PASSWORD, full_name=email.split("@")[0].title(), role=role, unit=unit, **extra
        )

    # The expert is also the firm's account manager (the clients' pages, issue 27).
    expert = user("expert@test.fr", Role.EXPERT, unit1, is_account_manager=True)
    w = SimpleNamespace(unit1=unit1, unit2=unit2, expert=expert)
    w.advisor = user("conseiller@test.fr", Role.ADVISOR, unit1)
    w.manager = user("manager@test.fr", Role.MANAGER, unit1)
    w.other_expert = user("expert2@test.fr", Role.EXPERT, unit2)
    w.admin = user("admin@test.fr", Role.ADMIN, is_superuser=True)
    w.garage_a = Garage.objects.create(
        external_id="GA", name="Garage A", unit=unit1, expert=expert, visit_days=[0, 3]
    )
    w.garage_b = Garage.objects.create(external_id="GB", name="Garage B", unit=unit1, expert=expert)
    w.garage_c = Garage.objects.create(
        external_id="GC", name="Garage C", unit=unit2, expert=w.other_expert
    )
    w.repairer = user("reparateur@test.fr", Role.REPAIRER)
    w.colleague = user("collegue@test.fr", Role.REPAIRER)
    w.other_repairer = user("autre@test.fr", Role.REPAIRER)
    # The two people with spaces of their own: no garage↔firm page is theirs.
    w.insured = user("assure@test.fr", Role.INSURED)
    w.client_user = user("client@test.fr", Role.CLIENT)
    # The client whose portfolio holds dossier A (issue 27): client_user follows it.
    from connect.clients.models import Client, ClientKind, ClientMember

    w.client = Client.objects.create(external_id="CLA", name="Assureur A", kind=ClientKind.INSURER)
    ClientMember.objects.create(user=w.client_user, client=w.client)
    Membership.objects.create(user=w.repairer, garage=w.garage_a)
    Membership.objects.create(user=w.colleague, garage=w.garage_a)
    Membership.objects.create(user=w.other_repairer, garage=w.garage_b)

    def dossier(reference, garage, **fields):
        d = Dossier(reference=reference, garage=garage, expert=garage.expert, **fields)
        d.set_derived_fields()
        d.save()
        return d

    w.dossier_a = dossier(
        "99677",
        w.garage_a,
        plate="GG-010-MZ",
        claim_reference="0040230002053373",
        vehicle="BMW - SERIE 1 F40",
        insurer="AXA FRANCE",
        status_label="N.C.",
        insured_name="OGIC ILE DE FRANCE EST",
        advisor=w.advisor,
        client=w.client,
    )
    w.dossier_b = dossier("99791", w.garage_b, plate="FP-562-AB", vehicle="AUDI - Q2")
    w.dossier_c = dossier("99812", w.garage_c, plate="GN-000-XY")
    w.dossier = dossier  # factory for tests that need more
    return w


@pytest.fixture
def as_repairer(client, world):
    return login_as(client, world.repairer)


@pytest.fixture(scope="session", autouse=True)
def _s3_bucket():
    """With the suite on S3 (S3_BUCKET and S3_ENDPOINT_URL set), the bucket exists."""
    from django.conf import settings

    if settings.S3_BUCKET and settings.STORAGES["default"]["OPTIONS"].get("endpoint_url"):
        import boto3

        options = settings.STORAGES["default"]["OPTIONS"]
        client = boto3.client(
            "s3",
            endpoint_url=options["endpoint_url"],
            region_name=options["region_name"] or "us-east-1",
            aws_access_key_id=options["access_key"],
            aws_secret_access_key=options["secret_key"],
        )
        names = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
        # Another xdist worker may make it meanwhile.
        already = (client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists)
        if settings.S3_BUCKET not in names:
            with contextlib.suppress(*already):
                client.create_bucket(Bucket=settings.S3_BUCKET)


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    """A real clamd for the session (port CLAMD_TEST_PORT, 18310), with the local EICAR
    signature; tests that scan set CLAMAV_ADDRESS to `clamd.address`."""
    require_tools("clamd")
    base = int(os.environ.get("CLAMD_TEST_PORT", "18310"))
    server = Clamd(tmp_path_factory.mktemp("clamd"), port(base)).start()
    yield server
    server.stop()
