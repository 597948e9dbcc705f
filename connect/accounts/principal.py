"""The signed-in user, their garages' ids and their second-factor devices, read once per change.

Every authenticated page needs the user row, the ids of the garages they see (what every list
and door filters on) and, for staff, the device that verified the session. Read on each request
that was three queries and ~12 % of a list page's CPU (issue 14's profile). With a cache shared
by every web process (Redis; PRINCIPAL_CACHE_SECONDS, 0 = off without one) they are kept
together, pickled, stamped with the two versions they were read under (connect/lib/versioned.py:
one MGET reads the value and both versions; a value under other versions is a miss):

- the user's version, replaced when their row, one of their memberships or one of their
  second-factor devices is saved or deleted (signals below: `save()` and `QuerySet.delete()`
  send them; nothing in the portal writes these tables with `QuerySet.update()`);
- the garages' version, replaced when any garage is saved or deleted (a garage moved to
  another unit changes what a whole unit's staff see; garages change rarely).

Versions are replaced when the writer's transaction commits, and read before the database on a
miss. A change that ends access (an account disabled or deleted, a password changed, a device
or a membership removed) must not be lost to a Redis blip, or the old principal would serve
the account until its timeout: its version is written past the cache's forgiving layer, else
the principal deleted, else the failure logged at ERROR (it may live PRINCIPAL_CACHE_SECONDS).
The session is still checked on every request against the HMAC of the user's password
hash, as Django does (`get_session_auth_hash`); the hash itself is never cached. A cache
outage falls back to the queries.
"""

import logging
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from connect.accounts.models import Garage, Membership, User
from connect.cache import delete_or_raise, set_many_or_raise
from connect.lib.versioned import cached, replace_on_commit

logger = logging.getLogger(__name__)
GARAGES_VERSION = "accounts:garages-version"
# A user's fields whose change ends access: their invalidation must not be lost.
SECURITY_FIELDS = ("is_active", "password")
DEVICE_MODELS = (TOTPDevice, StaticDevice)
DEVICE_FIELDS = ("id", "user_id", "name", "confirmed")


def user_version_key(user_id) -> str:
    return f"accounts:user-version:{user_id}"


def principal_key(user_id) -> str:
    return f"accounts:principal:{user_id}"


def garage_ids(user) -> list[int]:
    """The ids of the garages whose dossiers `user` sees, read once per request (or per change,
    from the cached principal)."""
    if not hasattr(user, "_visible_garage_ids"):
        garages = Garage.objects.visible_to(user).order_by("pk")
        user._visible_garage_ids = list(garages.values_list("pk", flat=True))
    return user._visible_garage_ids


def _load(user_id) -> User | None:
    """The user, with their garage ids and confirmed devices, from the database."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    # The cache never holds the password hash: the session is checked against its HMAC, kept
    # instead, and the field is left deferred (a rare reader, the admin's own password change,
    # loads it from the database; a save() of a deferred instance writes only loaded fields).
    user._session_hash = user.get_session_auth_hash()  # type: ignore[attr-defined]
    del user.__dict__["password"]
    if not user.is_admin:  # an administrator sees every garage: not carried around
        garage_ids(user)
    # Ids and flags only: a device's key (TOTP seed, static tokens) never enters the cache.
    user._principal_devices = (  # type: ignore[attr-defined]  # carried with the pickle
        {
            f"{model.model_label()}/{row[0]}": (model._meta.label, row)
            for model in DEVICE_MODELS
            for row in model.objects.filter(user=user, confirmed=True).values_list(*DEVICE_FIELDS)
        }
        if user.needs_second_factor
        else {}
    )
    return user


def _device(carried: tuple[str, tuple] | None) -> Device | None:
    """The verifying device rebuilt from its cached ids and flags; its key, should a caller
    need it, is read from the database (a deferred field)."""
    if carried is None:
        return None
    label, row = carried
    return apps.get_model(label).from_db(None, DEVICE_FIELDS, row)


def cached_user(request):
    """`django.contrib.auth.get_user(request)`, served from the cache when it is fresh."""
    seconds = settings.PRINCIPAL_CACHE_SECONDS
    session = request.session
    user_id = session.get(auth.SESSION_KEY)
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if not seconds or user_id is None or backend not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    # One round trip: the value and both versions it was read under (connect/lib/versioned).
    user = cached(
        principal_key(user_id),
        versions=[user_version_key(user_id), GARAGES_VERSION],
        compute=lambda: _load(user_id),
        timeout=seconds,
    )
    if user is None:
        return auth.get_user(request)  # gone or deactivated: Django's own path logs it out
    if not constant_time_compare(
        session.get(auth.HASH_SESSION_KEY, ""), getattr(user, "_session_hash", "")
    ):
        return auth.get_user(request)  # a fallback secret, or a changed password: Django's path
    return user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's AuthenticationMiddleware (the admin checks for it), with `request.user` from
    `cached_user`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user_once(request))


def _user_once(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = cached_user(request)
    return request._cached_user


class PrincipalOTPMiddleware(OTPMiddleware):
    """django-otp's middleware; the verifying device comes from the cached principal's own
    confirmed devices when it carries them (no query), else from the database."""

    def _verify_user_sync(self, request, user):
        devices = getattr(user, "_principal_devices", None)
        if devices is None or isinstance(user, AnonymousUser):
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get("otp_device_id")
        if persistent_id:
            device = _device(devices.get(self._normalize_persistent_id(persistent_id)))
            user.otp_device = self._finalize_device(request, user, device)
        return user


def forget_principal(user_id, *, ends_access: bool = False) -> None:
    """This user's row, memberships or devices changed: their cached principal is stale when
    the transaction commits (not `dossiers.touch.touch_user`, which bumps their counts). A
    change that `ends_access` is not left to the forgiving cache (module docstring)."""
    if user_id is None:
        return
    if ends_access:
        transaction.on_commit(lambda: _forget_for_sure(user_id))
    else:
        replace_on_commit([user_version_key(user_id)])


def _forget_for_sure(user_id) -> None:
    try:
        set_many_or_raise({user_version_key(user_id): uuid.uuid4().hex})
        return
    except Exception:  # noqa: BLE001 - the next way is tried
        logger.warning("principal version of user %s not replaced", user_id, exc_info=True)
    try:
        delete_or_raise(principal_key(user_id))
    except Exception:  # noqa: BLE001 - the change is committed: said loudly, not undone
        logger.error(
            "cached principal of user %s NOT invalidated (cache unavailable): their access "
            "may continue for up to %s s; delete the key %s",
            user_id,
            settings.PRINCIPAL_CACHE_SECONDS,
            principal_key(user_id),
            exc_info=True,
        )


def forget_principals_garages() -> None:
    """A garage changed: every cached principal's garages are stale when the transaction
    commits."""
    replace_on_commit([GARAGES_VERSION])


def _user_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Before a user is saved: does the save end access (disabled, new password)?"""
    instance._principal_ends_access = False
    # Loaded fields only (a cached principal's password never is: a save leaves it alone).
    fields = [f for f in SECURITY_FIELDS if f not in instance.get_deferred_fields()]
    if update_fields is not None:
        fields = [f for f in fields if f in update_fields]  # a login's last_login: no query
    if instance.pk is None or not fields:
        return
    before = User.objects.filter(pk=instance.pk).values_list(*fields).first()
    now = tuple(getattr(instance, field) for field in fields)
    instance._principal_ends_access = before is not None and before != now


def _user_changed(sender, instance, **kwargs) -> None:
    ends_access = getattr(instance, "_principal_ends_access", False) or "created" not in kwargs
    forget_principal(instance.pk, ends_access=ends_access)  # post_delete has no `created`


def _owner_changed(sender, instance, **kwargs) -> None:
    # A device or a membership removed ends access; one saved (a TOTP's counters) does not.
    forget_principal(instance.user_id, ends_access="created" not in kwargs)


def _garage_changed(sender, instance, **kwargs) -> None:
    forget_principals_garages()


def connect_signals() -> None:
    """Every writer of what a principal holds (AccountsConfig.ready)."""
    pre_save.connect(_user_saving, sender=User, dispatch_uid="principal-user-pre-save")
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=User, dispatch_uid=f"principal-user-{signal}")
        signal.connect(_garage_changed, sender=Garage, dispatch_uid=f"principal-garage-{signal}")
        for model in (Membership, *DEVICE_MODELS):
            signal.connect(
                _owner_changed, sender=model, dispatch_uid=f"principal-{model.__name__}-{signal}"
            )
