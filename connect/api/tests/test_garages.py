import pytest
from django.core import mail

from connect.accounts.models import Garage, Role, User
from connect.testing import run_tasks

GARAGE = {
    "name": "Carrosserie du Parc",
    "siret": "12345678901234",
    "address": "3 rue des Lilas",
    "postal_code": "69003",
    "city": "Lyon",
    "email": "contact@parc.example",
    "phone": "04 72 00 00 00",
    "unit": "u1",
    "expert_email": "expert@test.fr",
    "visit_days": ["monday", "thursday"],
}


def test_put_creates_a_garage_then_get_returns_what_put_accepts(api, world):
    response = api.put("/api/v1/garages/G-42", GARAGE)
    assert response.status_code == 201
    garage = Garage.objects.get(external_id="G-42")
    assert garage.unit == world.unit1 and garage.expert == world.expert
    assert garage.visit_days == [0, 3]
    fetched = api.get("/api/v1/garages/G-42")
    assert fetched.json() == GARAGE == response.json()


def test_put_again_updates_the_same_garage(api, world):
    api.put("/api/v1/garages/G-42", GARAGE)
    response = api.put("/api/v1/garages/G-42", {**GARAGE, "name": "Parc Auto", "unit": "u2"})
    assert response.status_code == 200
    garage = Garage.objects.get(external_id="G-42")
    assert (garage.name, garage.unit) == ("Parc Auto", world.unit2)


def test_a_garage_with_unknown_unit_or_expert_or_bad_siret_is_refused(api, world):
    response = api.put(
        "/api/v1/garages/G-42",
        {**GARAGE, "unit": "nope", "expert_email": "advisor@nowhere.example"},
    )
    assert response.status_code == 422
    assert {e["code"] for e in response.json()["errors"]} == {"unknown_unit", "unknown_expert"}
    response = api.put("/api/v1/garages/G-42", {**GARAGE, "siret": "123"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "siret"
    assert not Garage.objects.filter(external_id="G-42").exists()


def test_an_unknown_garage_is_a_404(api, world):
    response = api.get("/api/v1/garages/unknown")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# The database worker closes a connection left in a transaction: commit for real here.
@pytest.mark.django_db(transaction=True)
def test_a_new_repairer_account_gets_its_invitation(api, world):
    response = api.put(
        "/api/v1/garages/GA/users/Nouveau@Garage.example",
        {"full_name": "Jean Nouveau", "phone": "0600000000", "active": True},
    )
    assert response.status_code == 201
    user = User.objects.get(email="nouveau@garage.example")
    assert user.role == Role.REPAIRER and user.garages.get() == world.garage_a
    assert not user.has_usable_password()
    run_tasks()
    assert [m.to for m in mail.outbox] == [["nouveau@garage.example"]]
    assert api.get("/api/v1/garages/GA/users/nouveau@garage.example").json() == {
        "full_name": "Jean Nouveau",
        "phone": "0600000000",
        "active": True,
    }


@pytest.mark.django_db(transaction=True)
def test_putting_an_existing_repairer_updates_and_can_disable_it(api, world):
    response = api.put(
        "/api/v1/garages/GA/users/reparateur@test.fr",
        {"full_name": "Renommé", "phone": "", "active": False},
    )
    assert response.status_code == 200
    world.repairer.refresh_from_db()
    assert (world.repairer.full_name, world.repairer.is_active) == ("Renommé", False)
    run_tasks()
    assert mail.outbox == []


def test_a_staff_address_cannot_become_a_repairer(api, world):
    response = api.put("/api/v1/garages/GA/users/expert@test.fr", {"full_name": "X"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_a_repairer"
    world.expert.refresh_from_db()
    assert world.expert.role == Role.EXPERT


def test_a_repairer_of_another_garage_is_a_404_there(api, world):
    assert api.get("/api/v1/garages/GB/users/reparateur@test.fr").status_code == 404
    assert api.put("/api/v1/garages/GA/users/not-an-email", {}).status_code == 422
