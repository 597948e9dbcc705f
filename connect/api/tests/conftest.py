import json

import pytest

from connect.api.models import ApiToken


class ApiClient:
    """The Django test client speaking JSON with a bearer token."""

    def __init__(self, client, key):
        self.client, self.key = client, key

    def headers(self, extra=None):
        return {"Authorization": f"Bearer {self.key}", **(extra or {})}

    def get(self, path, **params):
        return self.client.get(path, params, headers=self.headers())

    def put(self, path, data, headers=None):
        return self.client.put(
            path, json.dumps(data), content_type="application/json", headers=self.headers(headers)
        )

    def post(self, path, data, headers=None):
        return self.client.post(
            path, json.dumps(data), content_type="application/json", headers=self.headers(headers)
        )

    def upload(self, path, data, headers=None):
        return self.client.post(path, data, headers=self.headers(headers))


@pytest.fixture
def token(db):
    return ApiToken.issue("gestion")


@pytest.fixture
def api(client, token):
    return ApiClient(client, token[1])


def dossier_payload(garage="GA", **overrides):
    payload = {
        "garage": garage,
        "plate": "GG-010-MZ",
        "claim_reference": "0040230002053373",
        "vehicle": "BMW - SERIE 1 F40",
        "insurer": "AXA FRANCE",
        "status_label": "N.C.",
        "insured_name": "OGIC ILE DE FRANCE EST",
        "appointment_at": "2026-12-03T14:30:00+01:00",
        "impact": "à l'avant droit",
        "repair_amount": "2725.90",
        "ve_procedure": True,
        "ve_follow_up": True,
        "remote_assessment": False,
        "awaiting_ead": False,
        "approved_repairer_mission": False,
        "mission_received_on": "2026-11-20",
        "awaiting_invoice": False,
        "archived": False,
        "expert_email": "expert@test.fr",
        "advisor_email": "conseiller@test.fr",
    }
    payload.update(overrides)
    return payload
