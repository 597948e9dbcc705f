"""The error pages (400, 403, 404, 500, 503): French, in the portal's layout, no database query.

A page is rendered for a failure that may be the database itself, so the user is shown only if
the request already loaded it, and the show-once updates window is left out. Under /api/ the
answer is the API's JSON error shape instead ({code, message: {fr, en}, errors}). A database
that cannot be reached is a 503 (retry later), not a 500.
"""

import sys

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.functional import empty

RETRY_AFTER_SECONDS = 30

PAGES = {
    400: ("bad_request", "Requête invalide", "Bad request."),
    403: ("forbidden", "Accès refusé", "Forbidden."),
    404: ("not_found", "Page introuvable", "Not found."),
    500: ("server_error", "Erreur du serveur", "Server error."),
    503: ("unavailable", "Service momentanément indisponible", "Service unavailable."),
}
API_FRENCH = {
    400: "Requête invalide.",
    403: "Accès refusé.",
    404: "Ressource introuvable.",
    500: "Erreur interne du serveur : rien n'a été enregistré, réessayez.",
    503: "Service momentanément indisponible : réessayez dans quelques instants.",
}


def is_unavailable(exc: BaseException | None) -> bool:
    """The database could not be reached (or dropped the connection): a 503, not a bug."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DatabaseError) and is_unavailable(exc.__cause__)


def _loaded_user(request: HttpRequest):
    """The user if the request already loaded it; never a query from an error page."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if user is None or wrapped is empty:
        return AnonymousUser()
    return user


def error_response(request: HttpRequest, status: int) -> HttpResponse:
    code, title, english = PAGES[status]
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else {}
    if request.path.startswith("/api/"):
        body = {"code": code, "message": {"fr": API_FRENCH[status], "en": english}, "errors": []}
        return JsonResponse(body, status=status, headers=headers)
    context = {"status": status, "title": title, "user": _loaded_user(request), "messages": []}
    html = render_to_string(f"errors/{status}.html", context, request=request)
    return HttpResponse(html, status=status, headers=headers)


def bad_request(request, exception=None):
    return error_response(request, 400)


def permission_denied(request, exception=None):
    return error_response(request, 403)


def page_not_found(request, exception=None):
    return error_response(request, 404)


def server_error(request):
    # Called inside Django's `except` block: the exception tells a bug from an outage.
    return error_response(request, 503 if is_unavailable(sys.exc_info()[1]) else 500)


def csrf_failure(request, reason=""):
    return error_response(request, 403)
