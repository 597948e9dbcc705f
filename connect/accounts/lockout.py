"""Login throttles the way the OWASP Authentication cheat sheet recommends.

Three counters over the recorded failures (LoginFailure), none of which a stranger can turn
into a lock of someone else's account:
- per (account, IP): LOGIN_FAILURE_LIMIT failures in LOGIN_COOLOFF_MINUTES block that pair for
  the cool-off; the attacker's address is stopped, the owner elsewhere is not;
- per account across IPs: past LOGIN_ACCOUNT_DELAY_AFTER failures in 24 h each attempt waits a
  delay that doubles with every further failure (capped), never a hard lock; a browser that
  already logged in to that account (a signed "known device" cookie) skips this delay;
- per IP: only at LOGIN_IP_FAILURE_LIMIT failures (a workshop's users share one address).
"IP" is an IPv4 address, or an IPv6 address's /64 (a host may change its address within it).
A success clears only its own (account, IP) failures; a completed password reset clears all of
the account's; staff delete failures in the admin. The owner is e-mailed once when the
account-wide delay starts.
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import LoginFailure, User, normalize_email
from connect.mail import queue_email

LOCKED_MESSAGE = (
    "Trop de tentatives de connexion infructueuses. Par sécurité, la connexion est suspendue "
    "pendant {wait}. Réessayez plus tard ou utilisez « Mot de passe oublié »."
)
KNOWN_DEVICE_COOKIE = "connect_device"
_KNOWN_DEVICE_SALT = "connect.accounts.lockout.known-device"
ACCOUNT_WINDOW = timedelta(hours=24)


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address our own trusted proxies saw: a client cannot spoof it."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def client_address(request) -> str:
    """The client's address as the throttles count it: an IPv6 address by its /64 (one
    subscriber's block, where a host picks any address it likes), an IPv4 one as is."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return ip


def _account_tag(username: str) -> str:
    # The cookie names the account by a hash only: it must not disclose the login.
    return hashlib.sha256(username.encode()).hexdigest()[:32]


def known_devices(request) -> set[str]:
    try:
        tags = signing.loads(request.COOKIES.get(KNOWN_DEVICE_COOKIE, ""), salt=_KNOWN_DEVICE_SALT)
    except signing.BadSignature:
        return set()
    return set(tags) if isinstance(tags, list) else set()


def remember_device(request, response, username: str) -> None:
    """After a success: this browser is known to the account and skips its account-wide delay."""
    tags = (known_devices(request) | {_account_tag(username)}) - {""}
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        signing.dumps(sorted(tags)[-20:], salt=_KNOWN_DEVICE_SALT),
        max_age=365 * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@dataclass(frozen=True)
class Verdict:
    wait_seconds: int  # 0: the attempt may proceed

    @property
    def blocked(self) -> bool:
        return self.wait_seconds > 0

    @property
    def message(self) -> str:
        minutes = math.ceil(self.wait_seconds / 60)
        wait = f"{minutes} minute" + ("s" if minutes > 1 else "")
        return LOCKED_MESSAGE.format(wait=wait)


def account_delay(failures: int) -> int:
    """Seconds an attempt waits after `failures` account-wide failures (0 below the threshold)."""
    excess = failures - settings.LOGIN_ACCOUNT_DELAY_AFTER
    if excess < 0:
        return 0
    return min(
        settings.LOGIN_ACCOUNT_DELAY_SECONDS * 2 ** min(excess, 20), settings.LOGIN_MAX_DELAY
    )


def check(request, username: str) -> Verdict:
    """How long this (account, IP) must wait before its password is even checked."""
    now = timezone.now()
    ip = client_address(request)
    cooloff = timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    waits = [0]

    def remaining(since: timedelta, query) -> int:
        last = query.order_by("-at").values_list("at", flat=True).first()
        return max(0, math.ceil((last + since - now).total_seconds())) if last else 0

    recent = LoginFailure.objects.filter(at__gt=now - cooloff)
    pair = recent.filter(username=username, ip=ip)
    if pair.count() >= settings.LOGIN_FAILURE_LIMIT:
        waits.append(remaining(cooloff, pair))
    by_ip = recent.filter(ip=ip)
    if by_ip.count() >= settings.LOGIN_IP_FAILURE_LIMIT:
        waits.append(remaining(cooloff, by_ip))
    if _account_tag(username) not in known_devices(request):
        account = LoginFailure.objects.filter(username=username, at__gt=now - ACCOUNT_WINDOW)
        delay = account_delay(account.count())
        if delay:
            waits.append(remaining(timedelta(seconds=delay), account))
    return Verdict(max(waits))


@transaction.atomic
def record_failure(request, username: str) -> None:
    now = timezone.now()
    LoginFailure.objects.create(username=username[:254], ip=client_address(request), at=now)
    failures = LoginFailure.objects.filter(username=username, at__gt=now - ACCOUNT_WINDOW)
    # The owner hears once, when the account-wide delay starts (failures made while an
    # attempt is refused are not recorded, so the count passes this value once per window).
    if failures.count() != settings.LOGIN_ACCOUNT_DELAY_AFTER:
        return
    user = User.objects.filter(email=username, is_active=True).first()
    if user is None:
        return
    queue_email(
        [user.email],
        "accounts/email/login_attack",
        {
            "failures": settings.LOGIN_ACCOUNT_DELAY_AFTER,
            "addresses": failures.values("ip").distinct().count(),
            "reset_link": settings.PORTAL_URL + reverse("password_reset"),
        },
    )


def record_success(request, username: str) -> None:
    """A success clears this pair's failures only: never another account's, nor other IPs'."""
    LoginFailure.objects.filter(username=username, ip=client_address(request)).delete()


def lift_account(user: User) -> None:
    """A completed password reset proves the owner: every failure on the account goes."""
    LoginFailure.objects.filter(username=normalize_email(user.email)).delete()


def prune(before=None) -> int:
    """Failures older than the account window count for nothing any more."""
    before = before or timezone.now() - ACCOUNT_WINDOW
    return LoginFailure.objects.filter(at__lt=before).delete()[0]
