"""Every URL declares who may reach it; a test fails on any route that does not.

- `public`: anyone, logged in or not (login, password reset, legal pages).
- `signed_in`: any logged-in person, the insured and clients included (logging out).
- `authenticated`: a logged-in repairer or staff member, the people who work dossiers; what
  they see is scoped by `visible_to(user)`. The insured and clients get a 404.
- `repairer_only`: logged-in repairers; anyone else gets a 404.
- `staff_only`: the firm's staff (expert, advisor, manager, admin); anyone else gets a 404.
- `insured_only`: the insured (the car's owner, issue 26); anyone else gets a 404.
- `client_only`: the firm's clients' users (insurers, lessors, fleets); anyone else a 404.
- `second_factor`: the people who prove a second factor (staff and clients' users): the
  step itself (connect/staff/second_factor.py); anyone else gets a 404.
- `api_token`: the core system's bearer token, never a session.
- `internal`: operators' endpoints (metrics): a bearer token or an internal network, else 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

POLICIES = (
    "public",
    "signed_in",
    "authenticated",
    "repairer",
    "staff",
    "insured",
    "client",
    "second_factor",
    "api",
    "admin",
    "internal",
)

# The decorators hand back a view of the same type, so the URLconf and mypy still see its
# annotations (request type, URL keywords, response).
View = TypeVar("View", bound=Callable[..., Any])
Request = TypeVar("Request", bound=HttpRequest)
P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def mark(view: View, **marks: object) -> View:
    """Notes on a view function (`allowed_methods`, `access_policy`, `second_factor_step`),
    read from the resolved view by the middlewares and the policy test."""
    for name, value in marks.items():
        setattr(view, name, value)
    return view


def methods(*allowed: str) -> Callable[[View], View]:
    """The HTTP methods the URL answers (GET brings HEAD); any other is a 405 before the view
    runs (connect/lib/headers.py). Checked on the routed view only, so a POST handler may
    render its GET page again with the form's errors."""
    names = frozenset(allowed) | ({"HEAD"} if "GET" in allowed else set())

    def mark_methods(view: View) -> View:
        return mark(view, allowed_methods=names)

    return mark_methods


def declare(policy: str) -> Callable[[View], View]:
    assert policy in POLICIES

    def mark_policy(view: View) -> View:
        return mark(view, access_policy=policy)

    return mark_policy


def public(view: View) -> View:
    return declare("public")(login_not_required(view))


def signed_in(view: View) -> View:
    # LoginRequiredMiddleware redirects anonymous users to the login page.
    return declare("signed_in")(view)


class Gate(Protocol):
    """A decorator that checks the request before the view runs and keeps its signature."""

    def __call__(
        self, view: Callable[Concatenate[Request, P], R], /
    ) -> Callable[Concatenate[Request, P], R]: ...


def _role_gate(policy: str, allowed: Callable[[Any], bool]) -> Gate:
    def decorator(
        view: Callable[Concatenate[Request, P], R],
    ) -> Callable[Concatenate[Request, P], R]:
        @wraps(view)
        def wrapper(request: Request, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if not allowed(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return declare(policy)(wrapper)

    return decorator


# LoginRequiredMiddleware sends anonymous users to the login page before any gate runs.
authenticated = _role_gate(
    "authenticated", lambda user: user.is_authenticated and user.works_dossiers
)
repairer_only = _role_gate("repairer", lambda user: user.is_authenticated and user.is_repairer)
staff_only = _role_gate("staff", lambda user: user.is_authenticated and user.is_firm_staff)
insured_only = _role_gate("insured", lambda user: user.is_authenticated and user.is_insured)
client_only = _role_gate("client", lambda user: user.is_authenticated and user.is_client)
second_factor_holder = _role_gate(
    "second_factor", lambda user: user.is_authenticated and user.needs_second_factor
)


def api_token(view: View) -> View:
    return declare("api")(login_not_required(view))


def internal(allowed: Callable[[HttpRequest], bool]) -> Gate:
    """Operators only: `allowed(request)` says whether the caller is one (connect/ops)."""

    def decorator(
        view: Callable[Concatenate[Request, P], R],
    ) -> Callable[Concatenate[Request, P], R]:
        @wraps(view)
        def wrapper(request: Request, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if not allowed(request):
                raise Http404
            return view(request, *args, **kwargs)

        return declare("internal")(login_not_required(wrapper))

    return decorator
