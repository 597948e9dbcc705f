"""The core system's clients, and each dossier's client named by external id (issue 27)."""

from connect.clients.models import Client, ClientKind
from connect.dossiers.models import Dossier
from connect.testing import dossier_payload


def test_put_creates_a_client_then_updates_it(api, world):
    response = api.put("/api/v1/clients/AXA-01", {"name": "AXA France", "kind": "insurer"})
    assert response.status_code == 201
    assert response.json() == {"name": "AXA France", "kind": "insurer"}
    again = api.put("/api/v1/clients/AXA-01", {"name": "AXA", "kind": "fleet"})
    assert again.status_code == 200
    client = Client.objects.get(external_id="AXA-01")
    assert (client.name, client.kind) == ("AXA", ClientKind.FLEET)
    assert api.get("/api/v1/clients/AXA-01").json() == {"name": "AXA", "kind": "fleet"}


def test_a_client_is_strict(api, world):
    bad_kind = api.put("/api/v1/clients/X1", {"name": "X", "kind": "assureur"})
    unknown_field = api.put("/api/v1/clients/X1", {"name": "X", "kind": "other", "siret": "1"})
    no_name = api.put("/api/v1/clients/X1", {"name": " ", "kind": "other"})
    assert [r.status_code for r in (bad_kind, unknown_field, no_name)] == [422, 422, 422]
    assert not Client.objects.filter(external_id="X1").exists()
    assert api.get("/api/v1/clients/nope").status_code == 404


def test_a_dossier_names_its_client_and_region(api, world):
    payload = dossier_payload(client="CLA", client_region="Nord")
    response = api.put("/api/v1/dossiers/123456", payload)
    assert response.status_code == 201
    assert {key: response.json()[key] for key in ("client", "client_region")} == {
        "client": "CLA",
        "client_region": "Nord",
    }
    dossier = Dossier.objects.get(reference="123456")
    assert (dossier.client, dossier.client_region) == (world.client, "Nord")
    fetched = api.get("/api/v1/dossiers/123456").json()
    assert (fetched["client"], fetched["client_region"]) == ("CLA", "Nord")
    cleared = api.put("/api/v1/dossiers/123456", dossier_payload(client=None))
    assert cleared.json()["client"] is None


def test_an_unknown_client_refuses_the_dossier_and_the_whole_batch(api, world):
    response = api.put("/api/v1/dossiers/123456", dossier_payload(client="NOPE"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "unknown_client"
    batch = api.post(
        "/api/v1/dossiers/batch",
        {
            "dossiers": [
                {**dossier_payload(client="CLA"), "reference": "1001"},
                {**dossier_payload(client="NOPE"), "reference": "1002"},
            ]
        },
    )
    assert batch.status_code == 422
    assert batch.json()["errors"][0]["index"] == 1
    assert not Dossier.objects.filter(reference__in=["123456", "1001", "1002"]).exists()


def test_a_batch_links_its_dossiers_to_their_clients(api, world):
    batch = api.post(
        "/api/v1/dossiers/batch",
        {
            "dossiers": [
                {**dossier_payload(client="CLA", client_region="Sud"), "reference": "1001"},
                {**dossier_payload(), "reference": "1002"},
            ]
        },
    )
    assert batch.status_code == 200, batch.json()
    linked = dict(
        Dossier.objects.filter(reference__in=["1001", "1002"]).values_list("reference", "client_id")
    )
    assert linked == {"1001": world.client.pk, "1002": None}
    assert Dossier.objects.get(reference="1001").client_region == "Sud"


def test_the_openapi_document_describes_the_client(api, world):
    schema = api.get("/api/v1/openapi.json").json()
    assert "/api/v1/clients/{external_id}" in schema["paths"]
    fields = schema["components"]["schemas"]["DossierIn"]["properties"]
    assert "client" in fields and "client_region" in fields
