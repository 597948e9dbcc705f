from django.http import HttpRequest, HttpResponse, JsonResponse
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


@internal(metrics.may_scrape)
@methods("GET")
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
