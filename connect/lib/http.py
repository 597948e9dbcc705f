"""What every app's views share about the request: the row a door looks up, where `next` goes,
and the one way to read a number, a code (UUID) or a JSON body from it (never a 5xx)."""

import json
import re
import uuid
from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

M = TypeVar("M", bound=Model)


def get_or_404(queryset: QuerySet[M], **lookup) -> M:
    """The row of `queryset` matching `lookup`, else a 404: a missing row and a value that
    cannot be an id (letters for a UUID or a number) alike. For the doors (`access_*`), whose
    `queryset` already holds only what the user may reach."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
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


# A number a person or a form may type: ASCII digits only (`str.isdigit()` also takes "²" and
# other Unicode digits that `int()` refuses), and short enough to stay a reasonable number.
_NUMBER = re.compile(r"[0-9]{1,18}")


def int_or_none(value: object) -> int | None:
    """`value` as a non-negative integer when it is written as one (ASCII digits), else None."""
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        return int(value)
    return None


def int_param(
    params: Mapping[str, Any],
    name: str,
    *,
    default: int,
    choices: Collection[int] | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """The number `params[name]` holds when it is one of `choices` (or within `minimum` and
    `maximum`), else `default`: a bad number in a link is ignored, never an error page."""
    number = int_or_none(params.get(name, ""))
    if number is None or (choices is not None and number not in choices):
        return default
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return default
    return number


def int_list(params: QueryDict, name: str) -> list[int]:
    """Every value of `params[name]` that is a number (a checkbox list of ids); others dropped."""
    numbers = (int_or_none(value) for value in params.getlist(name))
    return [number for number in numbers if number is not None]


def uuid_or_none(value: object) -> uuid.UUID | None:
    """`value` as a UUID (a `code`), or None for anything else."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


class BadJson(Exception):
    """A JSON body refused before or while reading it; `message` is French, `status` the HTTP
    answer (413: too long, 400: unreadable or nested too deep)."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


# What nests: brackets outside strings. An escape (backslash and the character it escapes) is one
# token, so `"\""` does not end its string; one linear pass, whatever the input.
_JSON_TOKEN = re.compile(r'\\.|[\[\]{}"]', re.DOTALL)


def parse_json(text: str | bytes, *, max_bytes: int, max_depth: int = 8) -> Any:
    """`text` parsed as JSON, refused (BadJson) past `max_bytes` or nested deeper than
    `max_depth`: the parser recurses once per level, so 5,000 levels would end in a
    RecursionError, a 500."""
    if len(text) > max_bytes:
        raise BadJson("Données trop longues.", status=413)
    if isinstance(text, bytes):
        try:
            text = text.decode()
        except UnicodeDecodeError:
            raise BadJson("Données illisibles (JSON attendu).") from None
    depth, in_string = 0, False
    for token in _JSON_TOKEN.findall(text):
        if token == '"':
            in_string = not in_string
        elif not in_string and token[0] != "\\":
            depth += 1 if token in "[{" else -1
            if depth > max_depth:
                raise BadJson("Données trop imbriquées.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise BadJson("Données illisibles (JSON attendu).") from None


def read_json(request: HttpRequest, *, max_bytes: int, max_depth: int = 8) -> Any:
    """The request's JSON body, bounded like `parse_json`; a body announced longer than
    `max_bytes` is refused before it is read."""
    announced = int_or_none(request.META.get("CONTENT_LENGTH") or "0")
    if announced is not None and announced > max_bytes:
        raise BadJson("Données trop longues.", status=413)
    return parse_json(request.body or b"null", max_bytes=max_bytes, max_depth=max_depth)
