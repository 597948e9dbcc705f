from connect.dossiers.models import Dossier
from connect.testing import dossier_payload


def item(reference, **fields):
    return {"reference": reference, **dossier_payload(**fields)}


def test_a_batch_creates_and_updates_in_one_go(api, world):
    batch = [item(str(500000 + n)) for n in range(50)] + [item("99677", garage="GA")]
    response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.status_code == 200
    assert response.json() == {"created": 50, "updated": 1, "unchanged": 0}
    assert Dossier.objects.filter(reference__startswith="5000").count() == 50
    again = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 51}


def test_a_batch_needs_a_few_queries_not_one_per_dossier(api, world, django_assert_max_num_queries):
    batch = [item(str(500000 + n)) for n in range(300)]
    api.post("/api/v1/dossiers/batch", {"dossiers": batch[:100]})
    batch = [{**entry, "plate": "AB-123-CD"} for entry in batch]
    # SQLite caps the parameters of one statement: inserts go 24 rows at a time there (40
    # columns); the ball's recompute (connect/deadlines, one query per source of waits, the
    # insured's questions and surveys included) adds about twelve, whatever the batch's size.
    with django_assert_max_num_queries(34):
        response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.json() == {"created": 200, "updated": 100, "unchanged": 0}
    assert Dossier.objects.filter(plate_key="AB123CD").count() == 300


def test_a_batch_with_one_bad_item_stores_nothing_and_reports_each_error(api, world):
    batch = [
        item("600001"),
        item("600002", garage="NOPE"),
        item("600003", repair_amount="abc"),
        item("600001"),
    ]
    response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["index"], e["field"], e["code"]) for e in errors] == [
        (2, "dossiers.2.repair_amount", "string_pattern_mismatch")
    ]
    response = api.post("/api/v1/dossiers/batch", {"dossiers": [batch[0], batch[1], batch[3]]})
    errors = response.json()["errors"]
    assert [(e["index"], e["reference"], e["code"]) for e in errors] == [
        (1, "600002", "unknown_garage"),
        (2, "600001", "duplicate_reference"),
    ]
    assert not Dossier.objects.filter(reference__startswith="6000").exists()


def test_a_batch_over_a_thousand_items_or_empty_is_refused(api, world):
    response = api.post(
        "/api/v1/dossiers/batch", {"dossiers": [item(str(n)) for n in range(10000, 11001)]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_long"
    assert api.post("/api/v1/dossiers/batch", {"dossiers": []}).status_code == 422
    assert not Dossier.objects.filter(reference__startswith="10").exists()


def test_a_batch_stores_what_get_returns_and_writes_only_the_changed_rows(api, world):
    odd = {"insured_name": 'Émile "O\'Neil" \\ ☃ 😀', "appointment_at": "2026-07-01T08:05:00"}
    batch = [item("700001", **odd), item("700002", repair_amount=None, advisor_email=None)]
    api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    first = {
        d.reference: d.updated_at
        for d in Dossier.objects.filter(reference__in=["700001", "700002"])
    }
    shown = api.get("/api/v1/dossiers/700001").json()
    assert shown["insured_name"] == odd["insured_name"]
    assert shown["appointment_at"] == "2026-07-01T06:05:00Z"  # read as Paris time (summer)
    assert api.get("/api/v1/dossiers/700002").json()["repair_amount"] is None
    assert Dossier.objects.get(reference="700001").search_text.startswith("700001 GG010MZ")
    batch[1]["plate"] = "ab 123 cd"
    response = api.post("/api/v1/dossiers/batch", {"dossiers": batch})
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 1}
    after = {d.reference: d for d in Dossier.objects.filter(reference__in=["700001", "700002"])}
    assert after["700001"].updated_at == first["700001"]
    assert after["700002"].updated_at > first["700002"]
    assert after["700002"].plate_key == "AB123CD"
