"""Bearer-token authentication, with the per-token rate limit and the request size limit.

Settings: API_RATE_LIMIT_PER_MINUTE (requests a minute per token) and API_MAX_JSON_BYTES
(a multipart upload may add MAX_UPLOAD_FILE_BYTES), read in connect/settings.py.
"""

import logging

from django.conf import settings
from ninja.security import HttpBearer

from connect.api.errors import ApiError
from connect.api.models import ApiToken
from connect.lib.http import int_or_none
from connect.lib.throttle import Rate, Throttled, consume

logger = logging.getLogger("connect.api")

RATE_WINDOW_SECONDS = 60


def rate_limit() -> int:
    return settings.API_RATE_LIMIT_PER_MINUTE


def max_body_bytes(request) -> int:
    limit = settings.API_MAX_JSON_BYTES
    if request.content_type == "multipart/form-data":
        limit += settings.MAX_UPLOAD_FILE_BYTES
    return limit


class BearerToken(HttpBearer):
    """The core system's token; a client's token is no key to this API (a 401)."""

    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.authenticate(token)
        if api_token is None or api_token.client_id is not None:
            return None
        check_rate(api_token)
        check_size(request)
        api_token.touch()
        return api_token


def check_rate(api_token: ApiToken) -> None:
    """A fixed one-minute window per token, counted in the shared cache. With Redis away the
    limit is not enforced (logged): the core system's calls matter more than the limit."""
    try:
        consume(("API", api_token.pk, Rate(rate_limit(), RATE_WINDOW_SECONDS)), log=logger)
    except Throttled as refused:
        retry = refused.wait
        raise ApiError(
            429,
            "rate_limited",
            f"Trop de requêtes : réessayez dans {retry} s.",
            f"Too many requests: retry in {retry} s.",
            headers={"Retry-After": str(retry)},
        ) from None


def check_size(request) -> None:
    length = int_or_none(request.META.get("CONTENT_LENGTH") or "0") or 0
    limit = max_body_bytes(request)
    if length > limit:
        raise ApiError(
            413,
            "too_large",
            f"Requête trop volumineuse (au plus {limit // 1024} Ko).",
            f"Request too large (at most {limit // 1024} KB).",
        )


class ClientBearerToken(HttpBearer):
    """A client's token (connect/api/client_api.py): the core system's is a 401 there."""

    def authenticate(self, request, token: str):
        api_token = ApiToken.objects.authenticate(token)
        if api_token is None or api_token.client_id is None:
            return None
        check_rate(api_token)
        check_size(request)
        api_token.touch()
        return api_token
