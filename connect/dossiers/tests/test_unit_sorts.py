"""A whole unit's list sorted by another column (queries.py `_from_each_garage`): on PostgreSQL
it starts from each garage's sort index through a LATERAL join; the rows and their order must be
exactly those of the plain query, on every page it serves and past it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connect.dossiers import queries
from connect.testing import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_dossiers(world):
    # 3 garages' worth in unit 1 (garage A, B and a third), amounts with ties and blanks.
    from connect.accounts.models import Garage

    third = Garage.objects.create(external_id="GD", name="Garage D", unit=world.unit1)
    for n in range(90):
        garage = (world.garage_a, world.garage_b, third)[n % 3]
        amount = None if n % 7 == 0 else Decimal(1000 + (n * 37) % 50)
        world.dossier(f"8{n:04d}", garage, repair_amount=amount, insured_name=f"NOM {n % 11}")
    return world


def page_references(client, **params) -> list[str]:
    response = client.get(reverse("home"), params)
    return [row.reference for row in response.context["page"].object_list]


@pytest.mark.parametrize(
    "params",
    [
        {"tri": "montant"},
        {"tri": "-montant"},
        {"tri": "-montant", "page": "2", "taille": "25"},
        {"tri": "assure", "page": "3", "taille": "25"},
        {"tri": "rdv", "onglet": "en-cours"},
        {"tri": "-rdv", "page": "2", "taille": "25"},
        {"tri": "-main"},  # two sort columns (due date, then the wait's start)
        {"tri": "-reference", "page": "4", "taille": "25"},  # past the last full page
        {"tri": "montant", "page": "30", "taille": "25"},  # deeper than the LATERAL serves
    ],
)
def test_the_unit_sorted_pages_match_the_plain_query(client, unit_dossiers, monkeypatch, params):
    login_as(client, unit_dossiers.expert)
    served = page_references(client, **params)
    monkeypatch.setattr(queries, "_from_each_garage", lambda user, query, rows: rows)
    assert served == page_references(client, **params)
    assert served or params.get("page") == "30"


def test_the_unit_sorted_page_costs_the_same_queries(client, unit_dossiers, monkeypatch, settings):
    # The unit's garage ids come with the cached principal, as in production.
    settings.PRINCIPAL_CACHE_SECONDS = 300
    login_as(client, unit_dossiers.expert)
    client.get(reverse("home"), {"tri": "montant"})  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries_run:
            client.get(reverse("home"), {"tri": "montant"})
        return len(queries_run.captured_queries)

    served = count()
    monkeypatch.setattr(queries, "_from_each_garage", lambda user, query, rows: rows)
    assert served == count()
