from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.views.decorators.cache import never_cache

from connect.accounts.policies import internal, methods, public
from connect.ops import health, metrics


@public
@methods("GET")
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@public
@methods("GET")
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    ready, checks = health.cached_readiness()
    body: dict = {"status": "ok" if ready else "unavailable"}
    if metrics.may_scrape(request):  # the figures are the operators': the status is everyone's
        body["checks"] = checks
    return JsonResponse(body, status=200 if ready else 503)


def _https_unless_local(
    view: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """/metrics is spared SecurityMiddleware's redirect (SECURE_REDIRECT_EXEMPT) so that a
    scraper on this host may speak plain HTTP; anyone else is sent to HTTPS as on every page:
    from afar a bearer token would cross the network in clear."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        far = not request.is_secure() and not metrics.local_peer(request)
        if settings.SECURE_SSL_REDIRECT and far:
            host = settings.SECURE_SSL_HOST or request.get_host()
            return HttpResponsePermanentRedirect(f"https://{host}{request.get_full_path()}")
        return view(request)

    return wrapper


@_https_unless_local
@internal(metrics.may_scrape)
@methods("GET")
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
