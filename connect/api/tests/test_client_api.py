"""The clients' API (issue 27): a client's token reads its client's dossiers only; the core
system's token and a client's are no key to each other's API."""

from django.urls import reverse

from connect.api.models import ApiToken
from connect.clients.models import Client, ClientKind
from connect.deadlines.models import WaitPeriod
from connect.dossiers.models import Step, StepKind
from connect.testing import login_as


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_a_client_token_lists_its_clients_dossiers_page_by_page(client, world):
    for n in range(3):
        world.dossier(f"70{n}", world.garage_c, client=world.client, client_region="Sud")
    other = Client.objects.create(external_id="CLB", name="B", kind=ClientKind.LESSOR)
    world.dossier("800", world.garage_b, client=other)
    key = ApiToken.issue("a", client=world.client)[1]
    first = client.get("/api/client/v1/dossiers", {"limit": 2}, headers=bearer(key)).json()
    assert [d["reference"] for d in first["dossiers"]] == ["99677", "700"]
    second = client.get(
        "/api/client/v1/dossiers", {"limit": 2, "after": first["next"]}, headers=bearer(key)
    ).json()
    assert [d["reference"] for d in second["dossiers"]] == ["701", "702"]
    assert second["next"] is None
    south = client.get("/api/client/v1/dossiers", {"region": "Sud"}, headers=bearer(key)).json()
    assert len(south["dossiers"]) == 3 and south["dossiers"][0]["unit"] == "u2"
    bad = client.get("/api/client/v1/dossiers", {"after": "x²"}, headers=bearer(key))
    assert bad.status_code == 422


def test_one_dossier_with_its_steps_and_waits_and_nothing_of_another_client(client, world):
    from django.utils import timezone

    Step.objects.create(
        dossier=world.dossier_a, label="Rapport", kind=StepKind.REPORT, occurred_at=timezone.now()
    )
    WaitPeriod.objects.create(
        dossier=world.dossier_a, kind="k", side="firm", key="x", since=timezone.now()
    )
    key = ApiToken.issue("a", client=world.client)[1]
    found = client.get("/api/client/v1/dossiers/99677", headers=bearer(key))
    assert found.status_code == 200
    body = found.json()
    assert body["garage"] == "Garage A" and body["steps"][0]["label"] == "Rapport"
    assert body["waits"][0]["side"] == "firm"
    assert client.get("/api/client/v1/dossiers/99791", headers=bearer(key)).status_code == 404


def test_core_and_client_tokens_do_not_cross(client, world):
    core = ApiToken.issue("core")[1]
    own = ApiToken.issue("a", client=world.client)[1]
    assert client.get("/api/client/v1/dossiers", headers=bearer(core)).status_code == 401
    assert client.get("/api/v1/dossiers/99677", headers=bearer(own)).status_code == 401
    assert client.get("/api/client/v1/dossiers").status_code == 401
    schema = client.get("/api/client/v1/openapi.json").json()
    assert "/api/client/v1/dossiers/{reference}" in schema["paths"]


def test_the_account_manager_creates_a_token_shown_once(client, world):
    from html import unescape

    login_as(client, world.expert)
    url = reverse("client_api_token", args=[world.client.pk])
    page = unescape(client.post(url, follow=True).content.decode())
    token = ApiToken.objects.get(client=world.client)
    assert f"crk_{token.prefix}_" in page
    login_as(client, world.manager)  # staff without the flag
    assert client.post(url).status_code == 404
