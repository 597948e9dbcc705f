"""The principal cache (connect/accounts/principal.py): read once, never stale.

A repeat page reads neither the user, nor their garages, nor their second-factor device; each
test then changes one of them through the portal's own writer — a membership attached or
removed, an account disabled, a password changed, a staff member or a garage moved to another
unit, a second-factor device replaced — and sees the change on the very next request. Writes
commit for real (transactional tests): versions are replaced on commit.
"""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connect.accounts import services as accounts
from connect.accounts.models import Membership
from connect.staff import services as staff
from connect.staff.second_factor import enrol_with_secret
from connect.testing import PASSWORD, login_as

pytestmark = pytest.mark.django_db(transaction=True)
PRINCIPAL_TABLES = ("accounts_user", "accounts_garage", "accounts_membership", "otp_")


@pytest.fixture(autouse=True)
def cached(settings):
    settings.PRINCIPAL_CACHE_SECONDS = 300


def principal_queries(client, path="/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response
    return [
        q["sql"]
        for q in queries.captured_queries
        if any(f'FROM "{table}' in q["sql"] for table in PRINCIPAL_TABLES)
    ]


def references(client) -> set[str]:
    return {row.reference for row in client.get(reverse("home")).context["page"].object_list}


def test_a_repeat_page_reads_no_user_garage_or_device(client, world):
    login_as(client, world.repairer)
    assert principal_queries(client)  # first page: loaded
    assert principal_queries(client) == []
    login_as(client, world.expert)  # staff: unit's garages and the verifying device
    principal_queries(client)
    assert principal_queries(client) == []
    # Still verified (a 200, not the step), without reading the device; the workspace lists
    # the unit's garages, its own content.
    assert not any("otp_" in sql for sql in principal_queries(client, reverse("staff:home")))


def test_without_the_cache_every_page_reads_them(client, world, settings):
    settings.PRINCIPAL_CACHE_SECONDS = 0
    login_as(client, world.repairer)
    principal_queries(client)
    assert principal_queries(client)


def test_an_attached_garage_is_listed_at_once(client, world):
    login_as(client, world.repairer)
    assert "99791" not in references(client)
    accounts.attach_existing_repairer(
        actor=world.expert, garage=world.garage_b, user=world.repairer
    )
    assert "99791" in references(client)


def test_a_removed_membership_hides_the_garage_at_once(client, world):
    login_as(client, world.repairer)
    assert "99677" in references(client)
    staff.remove_membership(actor=world.expert, garage=world.garage_a, user=world.repairer)
    assert "99677" not in references(client)
    assert client.get(reverse("dossier_detail", args=[world.dossier_a.code])).status_code == 404


def test_a_disabled_account_is_refused_at_its_next_request(client, world):
    login_as(client, world.repairer)
    references(client)
    staff.set_account_active(
        actor=world.expert, garage=world.garage_a, user=world.repairer, active=False
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_changed_password_ends_the_other_sessions(client, world):
    login_as(client, world.repairer)
    references(client)
    world.repairer.set_password("Un-tout-nouveau-mot-de-passe-2026")
    world.repairer.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_staff_member_moved_to_another_unit_sees_that_unit(client, world):
    login_as(client, world.advisor)
    assert "99812" not in references(client)
    world.advisor.unit = world.unit2
    world.advisor.save()
    assert references(client) >= {"99812"}
    assert "99677" not in references(client)


def test_a_garage_moved_to_another_unit_leaves_its_staff_at_once(client, world):
    login_as(client, world.expert)
    assert "99791" in references(client)
    world.garage_b.unit = world.unit2
    world.garage_b.save()
    assert "99791" not in references(client)


def test_a_new_membership_through_the_api_path_counts(client, world):
    login_as(client, world.other_repairer)
    assert "99677" not in references(client)
    Membership.objects.create(user=world.other_repairer, garage=world.garage_a)
    assert "99677" in references(client)


def test_a_replaced_second_factor_device_unverifies_the_session(client, world):
    login_as(client, world.expert)
    assert client.get(reverse("staff:home")).status_code == 200
    enrol_with_secret(world.expert, "JBSWY3DPEHPK3PXP")  # the old device is deleted
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert reverse("staff:second_factor") in response["Location"]


def test_an_administrator_is_served_too_without_carrying_every_garage(client, world):
    login_as(client, world.admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/").status_code == 200  # from the cache, still verified
    assert references(client) >= {"99677", "99791", "99812"}  # every garage, read per page


def test_the_cached_principal_holds_no_password_hash(client, world):
    import pickle

    from django.core.cache import cache

    login_as(client, world.repairer)
    references(client)
    stamp, cached_user = cache.get(f"accounts:principal:{world.repairer.pk}")
    assert "password" not in cached_user.__dict__
    stored = pickle.dumps((stamp, cached_user))  # what the cache keeps
    assert world.repairer.password.encode() not in stored
    # Still there for the rare reader, from the database.
    assert cached_user.password == world.repairer.password
    assert cached_user.check_password(PASSWORD)


def raw_cache_value(key: str) -> bytes:
    """What the cache server holds under `key`, as stored (pickled bytes)."""
    from django.core.cache import cache

    full = cache.make_and_validate_key(key)
    if isinstance(getattr(cache, "_cache", None), dict):  # LocMemCache
        return cache._cache[full]
    return cache._cache.get_client(full).get(full)  # Redis


def test_the_cached_principal_holds_no_device_key(client, world):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    login_as(client, world.expert)  # a confirmed TOTP device
    backup = StaticDevice.objects.create(user=world.expert, name="secours", confirmed=True)
    StaticToken.objects.create(device=backup, token="k7q2m9x4")
    principal_queries(client, reverse("staff:home"))  # loaded and cached
    key = TOTPDevice.objects.get(user=world.expert).key
    stored = raw_cache_value(f"accounts:principal:{world.expert.pk}")
    assert stored and key.encode() not in stored and bytes.fromhex(key) not in stored
    assert b"k7q2m9x4" not in stored
    # Still verified from the cache, without reading the device (nor its key).
    assert not any("otp_" in sql for sql in principal_queries(client, reverse("staff:home")))


def closed_port() -> int:
    """A loopback port nobody listens on: a Redis that is down."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_at(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "connect.cache.ForgivingRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_a_disabled_account_is_not_served_after_a_redis_blip(client, world, settings, monkeypatch):
    """A blip pauses the forgiving cache (every write dropped for a moment, Redis itself back):
    the deactivation's version write must not be one of them."""
    from django.core.cache import caches

    from connect import cache as forgiving

    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL)")
    settings.CACHES = redis_at(settings.REDIS_URL)
    monkeypatch.setattr(forgiving, "RETRY_AFTER", 0.5)
    monkeypatch.setattr(forgiving.ForgivingRedisCache, "_down_until", 0.0)
    login_as(client, world.repairer)
    principal_queries(client)  # cached in Redis
    # The blip: a call that meets a Redis that is down pauses every write of this process.
    down = forgiving.ForgivingRedisCache(
        f"redis://127.0.0.1:{closed_port()}/1", redis_at("")["default"]
    )
    assert down.get("anything") is None
    accounts.set_active(world.repairer, False)
    time.sleep(0.6)  # the pause is over: Redis serves the cache again
    assert caches["default"].get(f"accounts:principal:{world.repairer.pk}") is not None
    response = client.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_invalidation_that_cannot_reach_redis_is_logged_as_an_error(client, world, settings):
    import logging

    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.ERROR)
    handler.emit = records.append
    logger = logging.getLogger("connect.accounts.principal")
    logger.addHandler(handler)
    try:
        settings.CACHES = redis_at(f"redis://127.0.0.1:{closed_port()}/1")
        user = world.repairer
        user.set_password("un autre mot de passe 2026")
        user.save()
    finally:
        logger.removeHandler(handler)
    assert [record.levelno for record in records] == [logging.ERROR]
    assert f"accounts:principal:{user.pk}" in records[0].getMessage()
