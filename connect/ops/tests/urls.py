"""Routes that fail on purpose, for the error-page tests only (never in connect/urls.py)."""

from django.db import OperationalError
from django.http import HttpResponse
from django.urls import include, path

from connect.accounts.policies import public


@public
def broken(request):
    raise ValueError("a bug")


@public
def overloaded(request):
    return HttpResponse("Réessayez plus tard.", status=503)


@public
def database_gone(request):
    raise OperationalError("connection refused")


urlpatterns = [
    path("casse/", broken),
    path("api/v1/casse/", broken),
    path("base-absente/", database_gone),
    path("surcharge/", overloaded),
    path("api/v1/base-absente/", database_gone),
    path("", include("connect.urls")),
]
handler400 = "connect.ops.errors.bad_request"
handler403 = "connect.ops.errors.permission_denied"
handler404 = "connect.ops.errors.page_not_found"
handler500 = "connect.ops.errors.server_error"
