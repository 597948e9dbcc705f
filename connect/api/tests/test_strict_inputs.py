"""The API's inputs, strictly: JSON only, no duplicate key, no unknown field, and no silent
widening of an account's garages."""

import json

import pytest
from django.core import mail

from connect.accounts.models import Membership
from connect.dossiers.models import Dossier
from connect.staff.models import AuditAction, AuditEntry
from connect.testing import run_tasks

pytestmark = pytest.mark.django_db
GARAGE = "/api/v1/garages/GA"


def raw_put(client, token, path, body: str, content_type="application/json"):
    return client.put(
        path, body, content_type=content_type, headers={"Authorization": f"Bearer {token[1]}"}
    )


def test_a_body_that_is_not_declared_json_is_refused(client, token, world):
    body = json.dumps({"name": "Texte brut", "unit": "u1"})
    response = raw_put(client, token, GARAGE, body, content_type="text/plain")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
    world.garage_a.refresh_from_db()
    assert world.garage_a.name == "Garage A"


def test_a_duplicate_key_is_a_422_naming_it(client, token, world):
    body = '{"full_name": "Premier", "full_name": "Second"}'
    response = raw_put(client, token, f"{GARAGE}/users/reparateur@test.fr", body)
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("full_name", "duplicate_key")
    ]
    world.repairer.refresh_from_db()
    assert world.repairer.full_name == "Reparateur"


def test_an_unknown_field_is_a_422_naming_it(api, world):
    response = api.put(f"{GARAGE}/users/reparateur@test.fr", {"full_name": "X", "role": "admin"})
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("role", "extra_forbidden")
    ]
    world.repairer.refresh_from_db()
    assert world.repairer.full_name == "Reparateur"


def test_an_unknown_dossier_field_is_refused_too(api, world):
    response = api.put("/api/v1/dossiers/99677", {"garage": "GA", "owner": "attacker"})
    assert response.status_code == 422
    assert "owner" in [e["field"] for e in response.json()["errors"]]


def test_a_repairer_of_another_garage_is_not_added_silently(api, world):
    # The attacker's call: a repairer of garage B PUT onto garage A.
    response = api.put(f"{GARAGE}/users/autre@test.fr", {"full_name": "Autre"})
    assert response.status_code == 409
    assert response.json()["code"] == "already_in_another_garage"
    assert list(world.other_repairer.garages.all()) == [world.garage_b]
    assert not Dossier.objects.visible_to(world.other_repairer).filter(garage=world.garage_a)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_explicit_addition_is_audited_and_emailed(api, world):
    response = api.put(
        f"{GARAGE}/users/autre@test.fr", {"full_name": "Autre", "add_to_garage": True}
    )
    assert response.status_code == 200
    assert Membership.objects.filter(user=world.other_repairer, garage=world.garage_a).exists()
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.garage, entry.target_user) == (
        AuditAction.ACCOUNT_ATTACHED,
        world.garage_a,
        world.other_repairer,
    )
    assert entry.details["via"] == "gestion"
    run_tasks()
    assert [m.to for m in mail.outbox] == [["autre@test.fr"]]
    assert "Garage A" in mail.outbox[0].body
    # Putting it again (already a member) needs no flag and adds nothing.
    assert api.put(f"{GARAGE}/users/autre@test.fr", {"full_name": "Autre"}).status_code == 200
    assert AuditEntry.objects.count() == 1


def test_the_openapi_documents_415_409_and_the_flag(api):
    schema = api.get("/api/v1/openapi.json").json()
    put = schema["paths"]["/api/v1/garages/{external_id}/users/{email}"]["put"]
    assert {"409", "415", "422"} <= set(put["responses"])
    assert "already_in_another_garage" in put["description"]
    assert "add_to_garage" in json.dumps(schema["components"]["schemas"])


@pytest.mark.parametrize("plate", ["AB-123-🚗", "AI-123-AB", "SS-123-AB", "1234 AB 96", "ABC"])
def test_a_bad_plate_is_a_422_naming_the_field(api, world, plate):
    response = api.put("/api/v1/dossiers/99677", {"garage": "GA", "plate": plate})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("plate", "invalid_plate")]
    assert "Immatriculation invalide" in errors[0]["message"]["fr"]
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.plate == "GG-010-MZ"


@pytest.mark.parametrize("plate", ["AB-123-CD", "WW-123-AA", "1234 AB 56", "123 ABC 2A"])
def test_siv_fni_and_temporary_plates_are_accepted(api, world, plate):
    assert api.put("/api/v1/dossiers/99677", {"garage": "GA", "plate": plate}).status_code in (
        200,
        201,
    )


def test_bidi_controls_are_refused_and_the_rest_is_nfc(api, world):
    hostile = "OGIC \u202eTSE ECNARF"
    response = api.put("/api/v1/dossiers/99677", {"garage": "GA", "insured_name": hostile})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("insured_name", "invisible_characters")
    assert "U+202E" in error["message"]["fr"]
    decomposed = "Ame\u0301lie"  # "Amélie" with a combining accent
    assert api.put(
        "/api/v1/dossiers/99677", {"garage": "GA", "insured_name": decomposed}
    ).status_code in (200, 201)
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.insured_name == "Amélie"


def test_text_fields_check_their_length_on_the_stripped_text_then_their_characters(api, world):
    # The rules of every text field (schemas.Text): the errors and the schema the core system
    # codes against.
    too_long = api.put(GARAGE, {"name": " " + "G" * 201 + " ", "unit": "u1"})
    blank = api.put(GARAGE, {"name": "   ", "unit": "u1"})
    hidden = api.put(GARAGE, {"name": "Garage\u202e", "unit": "u1"})
    assert [(e["field"], e["code"], e["message"]["fr"]) for e in too_long.json()["errors"]] == [
        ("name", "string_too_long", "Au plus 200 caractères.")
    ]
    assert [(e["field"], e["code"], e["message"]["fr"]) for e in blank.json()["errors"]] == [
        ("name", "string_too_short", "Au moins 1 caractère.")
    ]
    assert [(e["field"], e["code"]) for e in hidden.json()["errors"]] == [
        ("name", "invisible_characters")
    ]
    schema = api.get("/api/v1/openapi.json").json()
    name = schema["components"]["schemas"]["GarageIn"]["properties"]["name"]
    assert (name["type"], name["minLength"], name["maxLength"]) == ("string", 1, 200)
    (reference,) = schema["paths"]["/api/v1/dossiers/{reference}"]["get"]["parameters"]
    assert reference["schema"]["pattern"] == "^[A-Za-z0-9][A-Za-z0-9._-]*$"
    assert reference["schema"]["maxLength"] == 20


@pytest.mark.parametrize("vin", ["VF1RFB00X6512345", "VF1RFB00X6512345I", "VF1RFBOOX65123456"])
def test_a_bad_vin_is_a_422_naming_the_field(api, world, vin):
    response = api.put("/api/v1/dossiers/99677", {"garage": "GA", "vin": vin})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("vin", "invalid_vin")]
    assert "VIN invalide" in errors[0]["message"]["fr"]


def test_the_vin_is_kept_upper_case_and_given_back(api, world):
    response = api.put("/api/v1/dossiers/99677", {"garage": "GA", "vin": "vf1rfb00x65123456"})
    assert response.status_code in (200, 201)
    world.dossier_a.refresh_from_db()
    assert world.dossier_a.vin == "VF1RFB00X65123456"
    assert api.get("/api/v1/dossiers/99677").json()["vin"] == "VF1RFB00X65123456"
