"""French error pages in the portal's layout; JSON errors under /api/ (500 and 503 included).

The pages with the database really stopped are in test_outage.py (a PostgreSQL of its own).
"""

import logging

import pytest
from django.db import OperationalError
from django.test import Client

from connect.testing import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing(settings):
    settings.ROOT_URLCONF = "connect.ops.tests.urls"
    return Client(raise_request_exception=False)


def test_unknown_page_is_a_french_404_in_the_layout(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and 'lang="fr"' in html and "site-header" in html


def test_a_logged_in_user_keeps_the_header_on_a_404(client, world):
    response = login_as(client, world.repairer).get(f"/dossiers/{world.dossier_b.code}/")
    assert response.status_code == 404
    assert world.repairer.email in response.content.decode()


def test_api_404_is_json(client):
    response = client.get("/api/v1/nulle-part")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"]["fr"]


def test_a_bug_is_a_french_500_and_json_under_the_api(failing):
    page = failing.get("/casse/")
    assert page.status_code == 500 and "Erreur du serveur" in page.content.decode()
    api = failing.get("/api/v1/casse/")
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert api.json()["code"] == "server_error"


def error_records(client, path: str) -> list[logging.LogRecord]:
    """The ERROR lines one request writes, whichever logger writes them."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(level=logging.ERROR)
    handler.emit = records.append
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        client.get(path)
    finally:
        root.removeHandler(handler)
    return records


@pytest.mark.parametrize(
    "path,status,error", [("/casse/", 500, ValueError), ("/base-absente/", 503, OperationalError)]
)
def test_a_5xx_is_logged_once_with_its_traceback(failing, path, status, error):
    (line,) = error_records(failing, path)
    assert line.name == "connect.request" and line.status == status
    assert line.exc_info and isinstance(line.exc_info[1], error)


def test_a_5xx_a_view_answers_is_logged_once(failing):
    (line,) = error_records(failing, "/surcharge/")
    assert line.name == "connect.request" and line.status == 503 and not line.exc_info


def test_a_failure_of_the_access_line_itself_is_still_logged(monkeypatch):
    # Django's own line stays for what the access line cannot tell: its own failure.
    from connect.ops import metrics

    def broken(*args, **kwargs):
        raise RuntimeError("metrics down")

    monkeypatch.setattr(metrics, "observe", broken)
    (line,) = error_records(Client(raise_request_exception=False), "/healthz")
    assert line.name == "django.request" and isinstance(line.exc_info[1], RuntimeError)


def test_an_unreachable_database_is_a_503_with_retry_after(failing):
    page = failing.get("/base-absente/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "momentanément indisponible" in page.content.decode()
    api = failing.get("/api/v1/base-absente/")
    assert api.status_code == 503 and api.json()["code"] == "unavailable"


def test_a_refused_csrf_token_is_a_french_403(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/connexion/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_a_malformed_request_is_a_french_400(client):
    response = client.get("/", headers={"host": "pas un hôte"})
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()
