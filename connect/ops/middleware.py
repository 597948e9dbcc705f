"""First and last word on every request: its id, its access log line, its metrics.

The access line is a request's one line: a 5xx writes it at ERROR with the exception's
traceback, and Django's own "Internal Server Error" line for it is left out
(logs.AccessLineFollows); should this middleware fail itself, Django's line stays.
"""

import logging
import re
import sys
import time
import uuid

from django.utils.functional import empty

from connect.ops import logs, metrics, uploads

logger = logging.getLogger("connect.request")
# A request id set by the proxy is kept when it looks like one (no log injection).
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
HEADER = "X-Request-ID"


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", user) is empty:
        return ""  # never loaded: no query just to log it
    return str(user.pk) if user.is_authenticated else ""


def keep_exception(sender, request=None, **kwargs) -> None:
    """On Django's got_request_exception, inside its `except`: the access line takes it."""
    if request is not None:
        request.exception_info = sys.exc_info()


class RequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request.id = incoming if INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        request_token = logs.request_id.set(request.id)
        user_token = logs.user_id.set("")
        started = time.monotonic()
        # Django's own line for this request is left out: this one tells it (logs.py).
        request.access_line_follows = True
        try:
            response = self.get_response(request)
            seconds = time.monotonic() - started
            response[HEADER] = request.id
            logs.user_id.set(_user_id(request))
            failed = response.status_code >= 500
            logger.log(
                logging.ERROR if failed else logging.INFO,
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                exc_info=getattr(request, "exception_info", None) if failed else None,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            metrics.observe(request, response.status_code, seconds)
            return response
        except BaseException:
            request.access_line_follows = False  # this middleware failed: Django's line tells it
            raise
        finally:
            uploads.discard_temporary_files(request)
            logs.request_id.reset(request_token)
            logs.user_id.reset(user_token)

    def process_view(self, request, view, args, kwargs):
        # Every middleware has run: the user is loaded (or never will be); lines the view
        # writes carry its id.
        logs.user_id.set(_user_id(request))
