"""The API's URL patterns, each marked with its access policy for the route guard test.

Operations: policy `api` (bearer token; anything else gets a 401 JSON). The OpenAPI document,
its documentation page and the root (a redirect to the documentation) are `public`: the
contract is no secret, the data is. None of them uses a session, so none needs CSRF.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path

from connect.accounts.policies import api_token, methods, public
from connect.api.api import api

PUBLIC_NAMES = {"openapi-json", "openapi-view"}


@public
@methods("GET")
def api_root(request: HttpRequest) -> HttpResponse:
    return redirect("api:openapi-view")


def marked(pattern: URLPattern | URLResolver, *, root=api_root) -> URLPattern:
    assert isinstance(pattern, URLPattern)  # the API's routes are flat: no include()
    if pattern.name == "api-root":
        return path("", root, name="api-root")
    view = pattern.callback
    (public if pattern.name in PUBLIC_NAMES else api_token)(login_not_required(view))
    return pattern


app_name = api.urls_namespace
urlpatterns = [marked(pattern) for pattern in api.urls[0]]
