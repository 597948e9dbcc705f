import json

import pytest
from django.core.management import call_command

from connect.api.models import ApiToken


def test_a_request_without_token_gets_a_401_json(client, db):
    response = client.get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["Bearer nope", "Bearer crk_deadbeef_xyz", "Basic dXNlcjpwYXNz", "Bearer ", "crk_a_b"],
)
def test_a_wrong_token_gets_a_401(client, token, header):
    response = client.get("/api/v1/events", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_token_with_the_right_prefix_but_another_secret_gets_a_401(client, token):
    tampered = token[1][:-4] + "AAAA"
    response = client.get("/api/v1/events", headers={"Authorization": f"Bearer {tampered}"})
    assert response.status_code == 401


def test_a_revoked_token_gets_a_401(api, token):
    assert api.get("/api/v1/events").status_code == 200
    token[0].revoke()
    response = api.get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_only_the_hash_is_stored_and_last_use_is_recorded(api, token):
    stored, key = token
    assert key not in {stored.key_hash, stored.prefix} and stored.prefix in key
    assert stored.last_used_at is None
    api.get("/api/v1/events")
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_logged_in_session_is_no_api_credential(client, world):
    client.force_login(world.repairer, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/dossiers/99677").status_code == 401


def test_api_writes_need_no_csrf_token(world, token):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/v1/dossiers/99677/steps",
        json.dumps({"label": "Expertise", "occurred_at": "2026-11-02T10:00:00"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token[1]}"},
    )
    assert response.status_code == 201


def test_the_command_prints_a_working_token_once(client, db, capsys):
    call_command("create_api_token", "gestion-prod")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiToken.objects.get().name == "gestion-prod"
    response = client.get("/api/v1/events", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_too_many_requests_get_a_429_with_retry_after(api, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    from django.core.cache import cache

    cache.clear()
    statuses = [api.get("/api/v1/events").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/events")
    assert response.json()["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    cache.clear()


def test_an_oversized_body_gets_a_413_and_stores_nothing(api, world, settings):
    settings.API_MAX_JSON_BYTES = 1000
    response = api.put("/api/v1/dossiers/123456", {"garage": "GA", "vehicle": "x" * 2000})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
