"""Headers on every response, whatever produced it (a view, an error page, the API, static).

- Methods: the portal's pages answer GET, HEAD and POST; anything else (TRACE, PUT…) is a 405
  before any view runs unless the routed view declares it (the uploads' PATCH and DELETE), and
  so is a method the routed view does not declare (`methods(...)`, e.g. a POST to a page that
  only reads). The API (django-ninja) answers 405 itself.
- Cache-Control: every non-static response is per user or per token: `private, no-store`,
  but the few marked `@revalidated` (the service worker: the same for all, `no-cache`).
- Permissions-Policy: every powerful feature off; the camera, and the position the guided
  capture may join to photos (asked only when the user ticks it), only for the portal itself
  on the views marked `@camera_allowed` (the pages that capture photos).
- Cross-Origin-Resource-Policy: same-origin, so no other site can embed our files.
The CSP itself (frame-ancestors, object-src, base-uri) comes from django-csp's middleware.
"""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve

PAGE_METHODS = ("GET", "HEAD", "POST")
FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
NO_STORE = "private, no-store"
# The marking decorators keep the view's signature for the URLconf and mypy.
P = ParamSpec("P")
Response = TypeVar("Response", bound=HttpResponseBase)


CAPTURE_FEATURES = ("camera", "geolocation")


def permissions_policy(*, camera: bool = False) -> str:
    return ", ".join(
        f"{feature}=(self)" if camera and feature in CAPTURE_FEATURES else f"{feature}=()"
        for feature in FEATURES
    )


def camera_allowed(view: Callable[P, Response]) -> Callable[P, Response]:
    """The page captures photos (the composer's camera inputs): the portal may use the camera."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        response = view(*args, **kwargs)
        response.camera_allowed = True  # type: ignore[attr-defined]  # read below, on the way out
        return response

    return wrapper


def _declares(request) -> bool:
    """A page may declare more than GET/POST (the resumable uploads' PATCH and DELETE)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return request.method in getattr(match.func, "allowed_methods", ())


def revalidated(view: Callable[P, Response]) -> Callable[P, Response]:
    """The same bytes for everyone, asked again on every use (the service worker script)."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        response = view(*args, **kwargs)
        response["Cache-Control"] = "no-cache"
        response.revalidated = True  # type: ignore[attr-defined]  # read below, on the way out
        return response

    return wrapper


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if request.method not in PAGE_METHODS and not api and not _declares(request):
            response = HttpResponseNotAllowed(PAGE_METHODS)
        else:
            response = self.get_response(request)
        static = request.path.startswith(settings.STATIC_URL)
        kept = static or getattr(response, "revalidated", False)
        if not kept and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = NO_STORE
        camera = getattr(response, "camera_allowed", False)
        response["Permissions-Policy"] = permissions_policy(camera=camera)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("X-Content-Type-Options", "nosniff")  # also on our own 405
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # What the routed view declared (accounts.policies.methods); the API declares its own.
        allowed = getattr(view_func, "allowed_methods", None)
        if allowed is not None and request.method not in allowed:
            return HttpResponseNotAllowed(sorted(allowed))
        return None
