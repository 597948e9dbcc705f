"""The home list: tabs, counts, search, history, novelties, sort, paging, isolation."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from connect.dossiers.models import Dossier
from connect.dossiers.novelty import mark_documents_seen, mark_messages_seen
from connect.testing import login_as


@pytest.fixture
def login(client):
    return lambda user: login_as(client, user)


def references(response) -> set[str]:
    assert response.status_code == 200
    return {dossier.reference for dossier in response.context["page"].object_list}


@pytest.fixture
def tabs_world(world):
    """One dossier of garage A per tab rule, plus an archived one (dossier_a is plain ongoing)."""
    now = timezone.now()
    world.invoice = world.dossier("10001", world.garage_a, awaiting_invoice=True)
    world.exam = world.dossier("10002", world.garage_a, appointment_at=now + timedelta(days=2))
    world.past_exam = world.dossier("10003", world.garage_a, appointment_at=now - timedelta(days=2))
    world.ve = world.dossier("10004", world.garage_a, ve_procedure=True, ve_follow_up=True)
    world.ead = world.dossier("10005", world.garage_a, remote_assessment=True, awaiting_ead=True)
    world.ead_done = world.dossier("10006", world.garage_a, remote_assessment=True)
    world.archived = world.dossier(
        "10007", world.garage_a, archived=True, plate="AB-123-CD", insured_name="DUPONT Jean"
    )
    # Another garage's dossier that matches every tab: must never show up.
    world.dossier(
        "20001",
        world.garage_b,
        awaiting_invoice=True,
        appointment_at=now + timedelta(days=1),
        ve_follow_up=True,
        remote_assessment=True,
        awaiting_ead=True,
    )
    return world


TAB_MEMBERS = {
    "tous": {"99677", "10001", "10002", "10003", "10004", "10005", "10006"},
    "en-cours": {"99677", "10002", "10003", "10004", "10005", "10006"},
    "attente-facture": {"10001"},
    "examens": {"10002"},
    "suivi-ve": {"10004"},
    "attente-ead": {"10005"},
}


@pytest.mark.parametrize("tab", TAB_MEMBERS)
def test_each_tab_lists_exactly_its_dossiers(client, tabs_world, tab, login):
    response = login(tabs_world.repairer).get("/", {"onglet": tab})
    assert references(response) == TAB_MEMBERS[tab]


def test_tab_counts_are_the_users_garages_only(client, tabs_world, login):
    response = login(tabs_world.repairer).get("/")
    counts = response.context["counts"]
    assert {tab: counts[tab] for tab in TAB_MEMBERS} == {
        tab: len(members) for tab, members in TAB_MEMBERS.items()
    }
    assert 'Tous dossiers <span class="list-tabs__count">(7)</span>' in response.content.decode()


def test_staff_see_their_units_garages(client, tabs_world, login):
    counts = login(tabs_world.expert).get("/").context["counts"]
    assert counts["attente-facture"] == 2  # garage A and garage B, both in unit 1
    assert login(tabs_world.other_expert).get("/").context["counts"]["tous"] == 1  # garage C


def test_an_unknown_tab_falls_back_to_all(client, tabs_world, login):
    response = login(tabs_world.repairer).get("/", {"onglet": "n-importe-quoi"})
    assert references(response) == TAB_MEMBERS["tous"]


@pytest.mark.parametrize("typed", ["gg010mz", "GG 010 MZ", "GG-010-MZ", "  gg-010 mz ", "010 m"])
def test_a_plate_is_found_however_it_is_typed(client, tabs_world, login, typed):
    response = login(tabs_world.repairer).get("/", {"q": typed})
    assert references(response) == {"99677"}


@pytest.mark.parametrize(
    "typed", ["99677", "0040230002053373", "bmw - serie 1", "ogic île de france", "Ogic"]
)
def test_search_covers_references_vehicle_and_insured_name(client, tabs_world, login, typed):
    assert references(login(tabs_world.repairer).get("/", {"q": typed})) == {"99677"}


def test_search_is_accent_insensitive_both_ways(client, world, login):
    world.dossier("10010", world.garage_a, insured_name="LEFÈVRE Hélène")
    for typed in ("lefevre helene", "LEFÈVRE", "hélène"):
        assert references(login(world.repairer).get("/", {"q": typed})) == {"10010"}


@pytest.mark.parametrize("typed", ["%", "_", "'", '"', "\\", "GG%MZ", "G_-010"])
def test_wildcards_and_quotes_are_plain_characters(client, world, login, typed):
    response = login(world.repairer).get("/", {"q": typed})
    assert references(response) == set()


def test_a_percent_sign_in_the_data_is_found_literally(client, world, login):
    world.dossier("10011", world.garage_a, claim_reference="50%_O'HARA")
    login(world.repairer)
    assert references(client.get("/", {"q": "50%_o'hara"})) == {"10011"}
    assert references(client.get("/", {"q": "%_"})) == {"10011"}


def test_nul_bytes_are_dropped_from_the_search(client, world, login):
    assert references(login(world.repairer).get("/", {"q": "GG-010\x00-MZ"})) == {"99677"}


def test_archived_dossiers_appear_only_through_a_search_from_all(client, tabs_world, login):
    login(tabs_world.repairer)
    assert "10007" not in references(client.get("/"))
    response = client.get("/", {"q": "ab 123"})
    assert references(response) == {"10007"}
    assert "Historique" in response.content.decode()
    assert "historique compris" in response.content.decode()
    # From another tab, a search stays in that tab: no history.
    assert references(client.get("/", {"q": "ab 123", "onglet": "en-cours"})) == set()


def test_mission_reception_date_narrows_and_reaches_history(client, world, login):
    today = date.today()
    world.dossier("10020", world.garage_a, mission_received_on=today - timedelta(days=400))
    world.dossier("10021", world.garage_a, mission_received_on=today - timedelta(days=10))
    world.dossier(
        "10022", world.garage_a, archived=True, mission_received_on=today - timedelta(days=5)
    )
    login(world.repairer)
    since = (today - timedelta(days=30)).isoformat()
    assert references(client.get("/", {"depuis": since})) == {"10021", "10022"}
    french = (today - timedelta(days=30)).strftime("%d/%m/%Y")
    assert references(client.get("/", {"depuis": french, "onglet": "en-cours"})) == {"10021"}


def test_an_invalid_date_is_explained_and_ignored(client, world, login):
    response = login(world.repairer).get("/", {"depuis": "31/02/2026"})
    assert "Date de réception de mission invalide" in response.content.decode()
    assert references(response) == {"99677"}


def test_novelties_are_marked_and_filtered_per_user(client, tabs_world, login):
    dossier = tabs_world.invoice
    Dossier.objects.filter(pk=dossier.pk).update(last_message_at=timezone.now())
    login(tabs_world.repairer)
    response = client.get("/")
    assert response.context["counts"]["novelties"] == 1
    assert "Nouveau message" in response.content.decode()
    assert 'class="dossier-row is-new"' in response.content.decode()
    assert references(client.get("/", {"nouveautes": "1"})) == {"10001"}

    Dossier.objects.filter(pk=dossier.pk).update(last_document_at=timezone.now())
    mark_messages_seen(tabs_world.repairer, dossier)
    mark_documents_seen(tabs_world.repairer, dossier)
    response = client.get("/", {"nouveautes": "1"})
    assert references(response) == set()
    assert "is-new" not in response.content.decode()
    # The colleague has seen nothing yet.
    assert references(login(tabs_world.colleague).get("/", {"nouveautes": "1"})) == {"10001"}


def test_default_sort_is_most_recent_mission_first(client, world, login):
    today = date.today()
    for number, days_ago in ((1, 30), (2, 1), (3, 10)):
        world.dossier(
            f"1003{number}", world.garage_a, mission_received_on=today - timedelta(days=days_ago)
        )
    page = login(world.repairer).get("/").context["page"]
    assert [d.reference for d in page.object_list][:3] == ["10032", "10033", "10031"]


def test_sort_and_page_live_in_the_url(client, world, login):
    for number in range(60):
        world.dossier(f"2{number:04d}", world.garage_a, repair_amount=number * 10)
    login(world.repairer)
    first = client.get("/", {"tri": "montant"})
    amounts = [d.repair_amount for d in first.context["page"].object_list]
    assert amounts == sorted(amounts) and len(amounts) == 50
    html = first.content.decode()
    assert 'href="/?tri=montant&amp;page=2"' in html
    assert 'aria-sort="ascending"' in html
    assert 'href="/?tri=-montant"' in html  # clicking again reverses
    second = client.get("/", {"tri": "montant", "page": "2"})
    assert len(second.context["page"].object_list) == 11  # 60 + dossier_a
    descending = client.get("/", {"tri": "-montant"}).context["page"].object_list
    assert descending[0].repair_amount == 590


def test_an_htmx_request_gets_only_the_list(client, world, login):
    login(world.repairer)
    full = client.get("/", {"onglet": "en-cours"})
    partial = client.get("/", {"onglet": "en-cours"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode() and 'id="dossier-list"' in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and 'id="dossier-list"' not in body
    assert 'class="dossier-table"' in body and "99677" in body


def test_tabs_and_search_work_without_javascript(client, world, login):
    html = login(world.repairer).get("/", {"q": "gg"}).content.decode()
    assert '<form class="list-search" method="get" action="/"' in html
    assert 'href="/?onglet=examens&amp;q=gg"' in html


def test_the_whole_row_is_one_link_to_the_dossier(client, world, login):
    html = login(world.repairer).get("/").content.decode()
    assert f'<a class="row-link" href="/dossiers/{world.dossier_a.code}/"' in html


def test_french_formats_and_firm_label(client, world, login):
    world.dossier(
        "10040",
        world.garage_a,
        repair_amount="2725.90",
        appointment_at=timezone.make_aware(timezone.datetime(2026, 11, 25, 9, 30)),
    )
    html = login(world.repairer).get("/").content.decode()
    assert "2 725,90 €" in html and "25/11/2026" in html
    assert "Référence BCA" in html


def test_another_garages_dossiers_are_never_listed_counted_or_found(client, world, login):
    login(world.other_repairer)
    response = client.get("/")
    assert references(response) == {"99791"}
    assert response.context["counts"]["tous"] == 1
    for typed in ("GG-010-MZ", "99677", "OGIC", "GN 000"):
        assert references(client.get("/", {"q": typed})) == set()
    assert "99677" not in client.get("/", {"q": "9"}).content.decode()


@pytest.mark.parametrize("size", [25, 100])
def test_query_count_is_constant_whatever_the_page_size(
    client, world, login, size, django_assert_max_num_queries
):
    for number in range(120):
        dossier = world.dossier(f"3{number:04d}", world.garage_a, ve_procedure=number % 2 == 0)
        if number % 3 == 0:
            mark_documents_seen(world.repairer, dossier)
    Dossier.objects.update(last_document_at=timezone.now())
    login(world.repairer)
    client.get("/")  # warm the session
    # session + user + garage ids + counts + rows + session save (3 statements on SQLite).
    with django_assert_max_num_queries(8):
        response = client.get("/", {"taille": size})
    assert len(response.context["page"].object_list) == size
    with django_assert_max_num_queries(9):  # a search adds one COUNT
        client.get("/", {"taille": size, "q": "3", "nouveautes": "1"})


def test_upcoming_exams_come_soonest_first_unless_the_user_sorts(client, world, login):
    now = timezone.now()
    for reference, days, received in (("10021", 9, 5), ("10022", 1, 1), ("10023", 4, 30)):
        world.dossier(
            reference,
            world.garage_a,
            appointment_at=now + timedelta(days=days),
            mission_received_on=date(2026, 1, received),
        )
    login(world.repairer)

    def order(**params):
        response = client.get("/", {"onglet": "examens", **params})
        return [d.reference for d in response.context["page"].object_list], response

    listed, response = order()
    assert listed == ["10022", "10023", "10021"]
    html = response.content.decode()
    assert 'aria-sort="ascending"><a href="/?onglet=examens&amp;tri=-rdv' in html
    assert order(tri="-reception")[0] == ["10023", "10021", "10022"]
    assert order(tri="-rdv")[0] == ["10021", "10023", "10022"]
    # Other tabs keep the newest mission first.
    assert client.get("/").context["query"].order == "-reception"


def test_a_search_from_another_tab_offers_the_whole_list_and_history(client, world, login):
    world.dossier("10031", world.garage_a, archived=True, plate="AB-123-CD")
    login(world.repairer)
    response = client.get("/", {"onglet": "attente-facture", "q": "AB-123-CD"})
    assert references(response) == set()
    html = response.content.decode()
    link = '<a href="/?q=AB-123-CD">Chercher dans tous les dossiers (historique compris)</a>'
    assert link in html
    assert references(client.get("/", {"q": "AB-123-CD"})) == {"10031"}
    assert "Chercher dans tous les dossiers" not in client.get("/", {"q": "AB"}).content.decode()
