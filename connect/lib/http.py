"""What every app's views share about the request: the row a door looks up, where `next` goes."""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], **lookup) -> M:
    """The row of `queryset` matching `lookup`, else a 404: a missing row and a value that
    cannot be an id (letters for a UUID or a number) alike. For the doors (`access_*`), whose
    `queryset` already holds only what the user may reach."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def safe_next(request: HttpRequest, *, fallback: str) -> str:
    """The `next` the form (or the query string) names when it stays on this site (no open
    redirect), else `fallback`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback
