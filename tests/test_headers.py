"""One response of each kind, every header checked: pages, a photo-capturing page, a file, an
export, JSON, an error page, a static file, an unsupported method."""

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse

from connect.documents.tests.helpers import add_pdf
from connect.lib.headers import permissions_policy
from connect.testing import ApiClient, login_as

pytestmark = pytest.mark.django_db
CSP_MUST = ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'")


def assert_common(response, *, camera=False, stored=False):
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == permissions_policy(camera=camera)
    assert ("camera=(self)" in response["Permissions-Policy"]) is camera
    # The guided capture may join the position, on the same pages only.
    assert ("geolocation=(self)" in response["Permissions-Policy"]) is camera
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    if not stored:
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def assert_html(response):
    assert response["Content-Type"].startswith("text/html")
    for directive in CSP_MUST:
        assert directive in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_per_user_pages(client, world):
    login_as(client, world.repairer)
    for url in (
        reverse("home"),
        reverse("dossier_detail", kwargs={"code": world.dossier_a.code}),
        reverse("messaging:threads", kwargs={"code": world.dossier_a.code}),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_html(response)
        assert_common(response)


def test_only_the_photo_capturing_pages_may_use_the_camera(client, world):
    login_as(client, world.repairer)
    url = reverse("messaging:compose", kwargs={"code": world.dossier_a.code}) + "?objet=divers"
    response = client.get(url)
    assert response.status_code == 200
    assert_html(response)
    assert_common(response, camera=True)


def test_the_login_page(client):
    response = client.get(reverse("login"))
    assert_html(response)
    assert_common(response)


def test_a_file_and_an_export(client, world):
    document = add_pdf(world.dossier_a)
    login_as(client, world.repairer)
    response = client.get(reverse("document_file", args=[world.dossier_a.code, document.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert_common(response)
    export = client.get(reverse("export_csv"))
    assert export.status_code == 200
    assert_common(export)


def test_json_from_the_api(client, db):
    from connect.api.models import ApiToken

    api = ApiClient(client, ApiToken.issue("gestion")[1])
    response = api.get("/api/v1/events")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert_common(response)


@override_settings(DEBUG=False)
def test_error_pages_carry_the_csp(client, world):
    login_as(client, world.repairer)
    response = client.get("/dossiers/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert_html(response)
    assert_common(response)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_keep_their_cache_but_get_the_other_headers(client):
    # WhiteNoise serves from the finders here, as it serves the collected files in production.
    assert finders.find("css/portal.css")
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert_common(response, stored=True)


@pytest.mark.parametrize("method", ["trace", "put", "delete", "patch", "options"])
def test_unsupported_methods_are_405_everywhere(client, world, method):
    login_as(client, world.repairer)
    for url in (
        reverse("home"),
        reverse("login"),
        reverse("dossier_detail", kwargs={"code": world.dossier_a.code}),
    ):
        response = client.generic(method.upper(), url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, POST"
        assert b"dossier" not in response.content.lower()
        assert_common(response)


def test_api_methods_are_declared_by_the_api(client, db):
    from connect.api.models import ApiToken

    key = ApiToken.issue("gestion")[1]
    response = client.generic("TRACE", "/api/v1/events", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 405


def test_a_page_that_declares_more_methods_gets_them_and_only_them(client, world):
    """The resumable uploads declare PATCH and DELETE (connect/uploads); PUT stays a 405."""
    from connect.uploads.tests.helpers import create

    login_as(client, world.repairer)
    url = create(client, world.dossier_a, b"x" * 10)["Location"]
    assert client.patch(url, b"x" * 10).status_code == 400  # reached the view: no Content-Range
    put = client.generic("PUT", url)
    assert put.status_code == 405 and put["Allow"] == "GET, HEAD, POST"
    assert client.delete(url).status_code == 204


def test_the_service_worker_is_revalidated_and_the_rest_is_not_stored(client, db):
    assert client.get("/sw.js")["Cache-Control"] == "no-cache"
    assert client.get("/manifest.webmanifest")["Cache-Control"] == "private, no-store"
