from datetime import datetime
from decimal import Decimal

from connect.dossiers.models import Dossier, Step
from connect.testing import dossier_payload, login_as


def test_put_creates_a_dossier_with_every_field(api, world):
    response = api.put("/api/v1/dossiers/123456", dossier_payload())
    assert response.status_code == 201
    dossier = Dossier.objects.get(reference="123456")
    assert dossier.garage == world.garage_a
    assert dossier.repair_amount == Decimal("2725.90")
    assert (dossier.expert, dossier.advisor) == (world.expert, world.advisor)
    assert dossier.plate_key == "GG010MZ" and "BMW" in dossier.search_text
    assert dossier.ve_follow_up and dossier.mission_received_on.isoformat() == "2026-11-20"


def test_what_get_returns_can_be_put_back_unchanged(api, world):
    api.put("/api/v1/dossiers/123456", dossier_payload())
    before = Dossier.objects.get(reference="123456").updated_at
    fetched = api.get("/api/v1/dossiers/123456").json()
    again = api.put("/api/v1/dossiers/123456", fetched)
    assert again.status_code == 200
    assert again.json() == fetched == api.get("/api/v1/dossiers/123456").json()
    assert Dossier.objects.get(reference="123456").updated_at == before  # nothing to write


def test_a_dossier_made_elsewhere_round_trips_too(api, world):
    fetched = api.get("/api/v1/dossiers/99677").json()
    assert fetched["garage"] == "GA" and fetched["repair_amount"] is None
    assert api.put("/api/v1/dossiers/99677", fetched).json() == fetched


def test_put_again_updates_and_recomputes_the_search_keys(api, world):
    api.put("/api/v1/dossiers/123456", dossier_payload())
    response = api.put("/api/v1/dossiers/123456", dossier_payload(plate="ab 123 cd"))
    assert response.status_code == 200
    assert Dossier.objects.get(reference="123456").plate_key == "AB123CD"
    assert Dossier.objects.filter(reference="123456").count() == 1


def test_moving_a_dossier_to_another_garage_moves_its_visibility(api, world, client):
    api.put("/api/v1/dossiers/99677", {**api.get("/api/v1/dossiers/99677").json(), "garage": "GB"})
    dossier = Dossier.objects.get(reference="99677")
    assert not Dossier.objects.visible_to(world.repairer).filter(pk=dossier.pk).exists()
    assert Dossier.objects.visible_to(world.other_repairer).filter(pk=dossier.pk).exists()
    page = f"/dossiers/{dossier.code}/"
    assert login_as(client, world.repairer).get(page).status_code == 404
    assert login_as(client, world.other_repairer).get(page).status_code == 200


def test_bad_values_are_refused_per_field_in_french_and_english_and_nothing_is_stored(api, world):
    response = api.put(
        "/api/v1/dossiers/123456",
        dossier_payload(
            plate="AB\x00", repair_amount="12,50", impact="devant", appointment_at="demain"
        ),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    by_field = {error["field"]: error for error in body["errors"]}
    assert set(by_field) == {"plate", "repair_amount", "impact", "appointment_at"}
    assert by_field["plate"]["message"] == {
        "fr": "Caractère NUL interdit.",
        "en": "NUL characters are not allowed.",
    }
    assert by_field["appointment_at"]["message"]["fr"] == "Date et heure ISO 8601 attendues."
    assert not Dossier.objects.filter(reference="123456").exists()


def test_unknown_garage_and_staff_are_refused(api, world):
    response = api.put(
        "/api/v1/dossiers/123456",
        dossier_payload(garage="NOPE", expert_email="reparateur@test.fr", advisor_email=None),
    )
    assert response.status_code == 422
    codes = {error["field"]: error["code"] for error in response.json()["errors"]}
    assert codes == {"garage": "unknown_garage", "expert_email": "unknown_expert"}


def test_malformed_json_is_a_400_not_a_500(api, world):
    response = api.client.put(
        "/api/v1/dossiers/123456",
        "{not json",
        content_type="application/json",
        headers=api.headers(),
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_a_reference_that_cannot_be_in_a_url_is_refused(api, world):
    assert api.put("/api/v1/dossiers/a%20b", dossier_payload()).status_code == 422
    assert api.get("/api/v1/dossiers/" + "9" * 21).status_code == 422


def test_an_unknown_dossier_is_a_404(api, world):
    response = api.get("/api/v1/dossiers/000000")
    assert response.status_code == 404
    assert response.json()["message"]["fr"] == "Dossier introuvable."


def test_a_step_is_appended(api, world):
    response = api.post(
        "/api/v1/dossiers/99677/steps",
        {"label": "Expertise réalisée", "kind": "exam", "occurred_at": "2026-11-02T10:00:00"},
    )
    assert response.status_code == 201
    step = Step.objects.get(dossier=world.dossier_a)
    body = response.json()
    assert (body["id"], body["label"], body["kind"]) == (step.id, "Expertise réalisée", "exam")
    assert datetime.fromisoformat(body["occurred_at"]) == step.occurred_at
    assert step.occurred_at.isoformat() == "2026-11-02T09:00:00+00:00"  # naive = Paris time


def test_a_step_on_an_unknown_dossier_or_of_unknown_kind_is_refused(api, world):
    step = {"label": "x", "occurred_at": "2026-11-02T10:00:00"}
    assert api.post("/api/v1/dossiers/000000/steps", step).status_code == 404
    assert api.post("/api/v1/dossiers/99677/steps", {**step, "kind": "?"}).status_code == 422
    assert not Step.objects.exists()
