"""The second factor: a TOTP app, plus ten single-use recovery codes.

The roles of `SECOND_FACTOR_ROLES` (the firm's staff: expert, advisor, manager, admin; and the
clients' users, issue 27) log in with their password, then prove a code before any other page:
`SecondFactorMiddleware` is the one place that enforces it, for the workspace, the dossier
pages, the clients' portfolio and the admin alike.
"""

import base64
import binascii

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from connect.accounts.policies import View, mark
from connect.lib.http import safe_next

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"


def needs_second_factor(user) -> bool:
    return user.is_authenticated and user.needs_second_factor


def base32_to_hex(secret: str) -> str:
    """django-otp stores TOTP keys as hex; authenticator apps speak base32."""
    return binascii.hexlify(base64.b32decode(secret.upper())).decode()


def hex_to_base32(key: str) -> str:
    return base64.b32encode(binascii.unhexlify(key)).decode().rstrip("=")


def confirmed_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_app(user) -> TOTPDevice:
    """The device being enrolled: the same secret across reloads until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def verify(user, token: str):
    """The device (app or recovery codes) that accepts `token`, or None.

    TOTP devices refuse a replayed code and throttle repeated failures; a recovery code is
    deleted when used, so it works once.
    """
    token = "".join(token.split()).lower()
    if not token or len(token) > 16:
        return None
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.filter(user=user, confirmed=True).select_for_update():
                if device.verify_is_allowed()[0] and device.verify_token(token):
                    return device
    return None


@transaction.atomic
def confirm_enrolment(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the app if `token` is right; returns fresh recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token("".join(token.split())):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return replace_recovery_codes(user=user)


@transaction.atomic
def replace_recovery_codes(*, user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def enrol_with_secret(user, base32_secret: str) -> TOTPDevice:
    """A confirmed app with a known secret (demo accounts and tests only)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(
        user=user, name=APP_DEVICE_NAME, key=base32_to_hex(base32_secret), confirmed=True
    )


def mark_verified(request, device) -> None:
    """The session has passed the second factor (a new key: no fixation across the step)."""
    request.session.cycle_key()
    django_otp.login(request, device)


def home_url(user) -> str:
    """Each role's own space: the staff's workspace, a client's portfolio."""
    return reverse("clients:portfolio") if user.is_client else reverse("staff:home")


def next_url(request) -> str:
    """Where to go after the step: the page asked for, else the user's own space."""
    wanted = safe_next(request, fallback="")
    return wanted if wanted not in ("", "/", reverse("home")) else home_url(request.user)


# Pages an unverified staff member may still reach: the step itself and leaving.
OPEN_URL_NAMES = {"logout"}


class SecondFactorMiddleware:
    """Sends an authenticated, unverified staff member or client user to the second-factor
    step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not needs_second_factor(user) or user.is_verified():
            return None
        if getattr(view_func, "second_factor_step", False):
            return None
        if getattr(view_func, "access_policy", None) in ("public", "api"):
            return None
        match = request.resolver_match
        if match and match.url_name in OPEN_URL_NAMES and not match.namespace:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        url = reverse("staff:second_factor")
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)


def second_factor_step(view: View) -> View:
    """Marks the views of the step itself (reachable before verification)."""
    return mark(view, second_factor_step=True)
