"""Paging a search or the novelties: the total comes with the rows (no second COUNT)."""

import pytest
from django.utils import timezone

from connect.dossiers.models import Dossier
from connect.testing import login_as


@pytest.fixture
def sixty(world):
    for number in range(60):
        world.dossier(
            f"5{number:04d}", world.garage_a, archived=number % 10 == 0, insured_name="PAGIN Léa"
        )
    world.dossier(
        "59999", world.garage_b, insured_name="PAGIN Léa"
    )  # another garage's: never counted
    return world


def summary(response) -> str:
    html = response.content.decode()
    return html[html.index('role="status">') : html.index("</p>", html.index('role="status">'))]


def test_a_search_counts_all_its_matches_across_pages_and_history(client, sixty):
    login_as(client, sixty.repairer)
    first = client.get("/", {"q": "pagin"})
    page = first.context["page"]
    assert page.paginator.count == 60 and page.paginator.num_pages == 2
    assert len(page.object_list) == 50 and "60 résultats pour « pagin »" in summary(first)
    second = client.get("/", {"q": "pagin", "page": "2"}).context["page"]
    assert second.number == 2 and len(second.object_list) == 10
    assert {d.reference for d in page.object_list}.isdisjoint(
        {d.reference for d in second.object_list}
    )


@pytest.mark.parametrize("asked, shown", [("9", 2), ("0", 2), ("-1", 2), ("x", 1), ("", 1)])
def test_a_page_out_of_range_shows_what_the_paginator_would(client, sixty, asked, shown):
    page = login_as(client, sixty.repairer).get("/", {"q": "pagin", "page": asked}).context["page"]
    assert page.number == shown and page.paginator.count == 60


def test_a_search_without_match_says_so(client, sixty):
    response = login_as(client, sixty.repairer).get("/", {"q": "introuvable"})
    assert response.context["page"].paginator.count == 0
    assert summary(response).split(">", 1)[1].strip().startswith("0 résultat")
    assert "Aucun dossier ne correspond à votre recherche." in response.content.decode()


def test_the_novelties_filter_counts_from_the_tab_aggregate(
    client, sixty, django_assert_max_num_queries
):
    Dossier.objects.filter(reference__in=["50001", "50002", "50010"]).update(
        last_message_at=timezone.now()
    )
    login_as(client, sixty.repairer)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(8):  # same as a plain tab: no COUNT
        response = client.get("/", {"nouveautes": "1"})
    page = response.context["page"]
    assert page.paginator.count == 2 == response.context["counts"]["novelties"]  # 50010 archived
    assert {d.reference for d in page.object_list} == {"50001", "50002"}


def test_a_search_costs_no_more_queries_than_a_tab(client, sixty, django_assert_max_num_queries):
    login_as(client, sixty.repairer)
    client.get("/")  # warm the session
    with django_assert_max_num_queries(8):
        client.get("/", {"q": "pagin", "page": "2"})


def test_a_broad_search_counts_up_to_the_cap_beyond_its_page(client, sixty, monkeypatch):
    from connect.dossiers import queries

    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 5)
    login_as(client, sixty.repairer)
    first = client.get("/", {"q": "pagin", "taille": "25"})
    page = first.context["page"]
    # 60 match: the rows query stopped at the page's 25 and one more, so the list says "more".
    assert page.paginator.count == 26 and page.has_next() and len(page.object_list) == 25
    html = first.content.decode()
    assert "Plus de 25 résultats pour « pagin »" in summary(first)
    assert "Page 1 sur" not in html and "Page 1</span>" in html
    third = client.get("/", {"q": "pagin", "taille": "25", "page": "3"})
    # The last page counts exactly: the cap reaches past its depth.
    assert third.context["page"].paginator.count == 60 and "60 résultats" in summary(third)
    assert len(third.context["page"].object_list) == 10 and "Page 3 sur 3" in third.content.decode()
