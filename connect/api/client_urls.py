"""The clients' API's URL patterns, marked for the route guard as the core API's are
(connect/api/urls.py): operations `api`, the contract and its page `public`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from connect.accounts.policies import methods, public
from connect.api.client_api import client_api
from connect.api.urls import marked


@public
@methods("GET")
def client_api_root(request: HttpRequest) -> HttpResponse:
    return redirect("client_api:openapi-view")


app_name = client_api.urls_namespace
urlpatterns = [marked(pattern, root=client_api_root) for pattern in client_api.urls[0]]
