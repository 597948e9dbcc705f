"""django-axes hooks: who is attempting, from where, and what they are told when locked."""

from django.conf import settings
from django.shortcuts import render

from connect.accounts.models import normalize_email

LOCKED_MESSAGE = (
    "Trop de tentatives de connexion infructueuses. Par sécurité, la connexion est bloquée "
    "pendant {minutes} minutes. Réessayez plus tard ou utilisez « Mot de passe oublié »."
)


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address our own trusted proxies saw: a client cannot spoof it."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def username(request, credentials) -> str:
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return normalize_email(value)


def locked_out(request, credentials, *args, **kwargs):
    from connect.accounts.forms import LoginForm

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_message": LOCKED_MESSAGE.format(minutes=minutes)},
        status=429,
    )
