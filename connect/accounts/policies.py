"""Every URL declares who may reach it; a test fails on any route that does not.

- `public`: anyone, logged in or not (login, password reset, legal pages).
- `authenticated`: any logged-in user; what they see is scoped by `visible_to(user)`.
- `repairer_only`: logged-in repairers; anyone else gets a 404.
- `staff_only`: the firm's staff (expert, advisor, manager, admin); anyone else gets a 404.
- `api_token`: the core system's bearer token, never a session.
- `internal`: operators' endpoints (metrics): a bearer token or an internal network, else 404.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import Http404

POLICIES = ("public", "authenticated", "repairer", "staff", "api", "admin", "internal")


def methods(*allowed: str) -> Callable:
    """The HTTP methods the URL answers (GET brings HEAD); any other is a 405 before the view
    runs (connect/lib/headers.py). Checked on the routed view only, so a POST handler may
    render its GET page again with the form's errors."""
    names = frozenset(allowed) | ({"HEAD"} if "GET" in allowed else set())

    def mark(view: Callable) -> Callable:
        view.allowed_methods = names  # type: ignore[attr-defined]
        return view

    return mark


def declare(policy: str) -> Callable:
    assert policy in POLICIES

    def mark(view: Callable) -> Callable:
        view.access_policy = policy  # type: ignore[attr-defined]
        return view

    return mark


def public(view: Callable) -> Callable:
    return declare("public")(login_not_required(view))


def authenticated(view: Callable) -> Callable:
    # LoginRequiredMiddleware redirects anonymous users to the login page.
    return declare("authenticated")(view)


def _role_gate(policy: str, allowed: Callable) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return declare(policy)(wrapper)

    return decorator


repairer_only = _role_gate("repairer", lambda user: user.is_authenticated and user.is_repairer)
staff_only = _role_gate("staff", lambda user: user.is_authenticated and user.is_firm_staff)


def api_token(view: Callable) -> Callable:
    return declare("api")(login_not_required(view))


def internal(allowed: Callable) -> Callable:
    """Operators only: `allowed(request)` says whether the caller is one (connect/ops)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request):
                raise Http404
            return view(request, *args, **kwargs)

        return declare("internal")(login_not_required(wrapper))

    return decorator
