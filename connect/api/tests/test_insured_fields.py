"""Who the insured is, as the core system says it (issue 26): e-mail, mobile, access."""

from datetime import timedelta

from django.utils import timezone

from connect.dossiers.models import Dossier
from connect.testing import dossier_payload


def test_the_insured_fields_are_stored_and_round_trip(api, world):
    payload = dossier_payload(
        insured_email=" Marie.Dupont@Exemple.FR ", insured_mobile="+33612345678"
    )
    assert api.put("/api/v1/dossiers/123456", payload).status_code == 201
    dossier = Dossier.objects.get(reference="123456")
    assert dossier.insured_email == "marie.dupont@exemple.fr"
    assert dossier.insured_mobile == "+33612345678" and dossier.insured_access is True
    fetched = api.get("/api/v1/dossiers/123456").json()
    assert fetched["insured_email"] == "marie.dupont@exemple.fr"
    assert fetched["insured_access"] is True
    assert api.put("/api/v1/dossiers/123456", fetched).json() == fetched


def test_insured_access_defaults_to_on_and_can_be_turned_off(api, world):
    api.put("/api/v1/dossiers/123456", dossier_payload())
    assert Dossier.objects.get(reference="123456").insured_access
    api.put("/api/v1/dossiers/123456", dossier_payload(insured_access=False))
    assert not Dossier.objects.get(reference="123456").insured_access


def test_bad_insured_values_are_refused_and_nothing_is_stored(api, world):
    for field, value in (
        ("insured_email", "pas-un-email"),
        ("insured_email", "a@b.fr\u200b"),
        ("insured_mobile", "06 12"),
        ("insured_mobile", "ABCDEFGHIJ"),
        ("insured_access", "peut-être"),
    ):
        response = api.put("/api/v1/dossiers/123456", dossier_payload(**{field: value}))
        assert response.status_code == 422, (field, value)
        assert response.json()["errors"][0]["field"] == field
    assert not Dossier.objects.filter(reference="123456").exists()


def test_the_batch_takes_the_insured_fields_too(api, world):
    item = {"reference": "A1", **dossier_payload(insured_email="x@exemple.fr")}
    assert api.post("/api/v1/dossiers/batch", {"dossiers": [item]}).status_code == 200
    assert Dossier.objects.get(reference="A1").insured_email == "x@exemple.fr"


def test_the_openapi_document_describes_the_insured_fields(api, world):
    schema = api.get("/api/v1/openapi.json").json()
    fields = schema["components"]["schemas"]["DossierIn"]["properties"]
    assert {"insured_email", "insured_mobile", "insured_access"} <= set(fields)
    assert "assuré" in str(fields["insured_email"]) and fields["insured_access"]["default"] is True


def test_archiving_is_dated_once_and_undated_when_undone(api, world):
    for path in ("one", "batch"):

        def put(path=path, **values):
            body = dossier_payload(**values)
            if path == "one":
                return api.put("/api/v1/dossiers/123456", body)
            return api.post(
                "/api/v1/dossiers/batch", {"dossiers": [{"reference": "123456", **body}]}
            )

        put(archived=False)
        assert Dossier.objects.get(reference="123456").archived_at is None
        put(archived=True)
        first = Dossier.objects.get(reference="123456").archived_at
        assert first is not None and timezone.now() - first < timedelta(minutes=1)
        put(archived=True, status_label="CLOS")
        assert Dossier.objects.get(reference="123456").archived_at == first, path
        put(archived=False)
        assert Dossier.objects.get(reference="123456").archived_at is None, path
