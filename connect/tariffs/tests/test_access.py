from datetime import date

import pytest
from django.urls import reverse

from connect.tariffs.models import RateCard
from connect.tariffs.tests.factories import form_data, make_rate_card
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def urls(garage, version=1):
    kw = {"garage_id": garage.pk}
    return [
        reverse("tariffs:garage", kwargs=kw),
        reverse("tariffs:submit", kwargs=kw),
        reverse("tariffs:card", kwargs={**kw, "version": version}),
        reverse("tariffs:board", kwargs={**kw, "version": version}),
    ]


def test_members_of_the_garage_read_every_page(client, world):
    make_rate_card(world.garage_a)
    for user in (world.repairer, world.colleague):
        login_as(client, user)
        for url in urls(world.garage_a):
            assert client.get(url).status_code == 200, url


def test_another_garage_can_neither_read_nor_write_these_cards(client, world):
    make_rate_card(world.garage_a)
    login_as(client, world.other_repairer)
    for url in urls(world.garage_a):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("tariffs:submit", kwargs={"garage_id": world.garage_a.pk}), form_data()
    )
    assert response.status_code == 404
    assert RateCard.objects.count() == 1


def test_an_unknown_garage_or_version_is_a_404(client, world):
    make_rate_card(world.garage_a)
    login_as(client, world.repairer)
    assert client.get(reverse("tariffs:garage", kwargs={"garage_id": 999999})).status_code == 404
    card_url = reverse("tariffs:card", kwargs={"garage_id": world.garage_a.pk, "version": 7})
    assert client.get(card_url).status_code == 404
    # garage B's version 1 is not reachable through garage A's id either
    make_rate_card(world.garage_b)
    login_as(client, world.other_repairer)
    assert client.get(urls(world.garage_a)[2]).status_code == 404


def test_a_repairer_with_one_garage_goes_straight_to_it(client, world):
    response = login_as(client, world.repairer).get(reverse("tariffs:mine"))
    assert response["Location"] == reverse(
        "tariffs:garage", kwargs={"garage_id": world.garage_a.pk}
    )


def test_a_repairer_with_several_garages_chooses(client, world):
    from connect.accounts.models import Membership

    Membership.objects.create(user=world.repairer, garage=world.garage_b)
    page = login_as(client, world.repairer).get(reverse("tariffs:mine")).content.decode()
    assert "Garage A" in page and "Garage B" in page and "Garage C" not in page


def test_staff_see_their_units_garages_current_and_past_cards(client, world):
    make_rate_card(world.garage_a, effective_on=date(2024, 1, 1))
    make_rate_card(world.garage_a, effective_on=date(2025, 1, 1))
    login_as(client, world.advisor)
    listing = client.get(reverse("tariffs:staff_garages")).content.decode()
    assert "Garage A" in listing and "Garage B" in listing and "Garage C" not in listing
    assert "Version 2" in listing
    page = client.get(reverse("tariffs:staff_garage", kwargs={"garage_id": world.garage_a.pk}))
    content = page.content.decode()
    assert "Version 1" in content and "Version 2" in content and "Remplacée" in content
    assert "Transmettre vos tarifs publics</a>" not in content
    for url in urls(world.garage_a)[2:]:
        assert client.get(url).status_code == 200


def test_staff_of_another_unit_get_404(client, world):
    make_rate_card(world.garage_a)
    login_as(client, world.other_expert)
    assert (
        client.get(
            reverse("tariffs:staff_garage", kwargs={"garage_id": world.garage_a.pk})
        ).status_code
        == 404
    )
    for url in urls(world.garage_a)[2:]:
        assert client.get(url).status_code == 404
    assert "Garage A" not in client.get(reverse("tariffs:staff_garages")).content.decode()


def test_staff_cannot_submit_and_repairers_cannot_use_the_staff_pages(client, world):
    login_as(client, world.expert)
    assert client.post(urls(world.garage_a)[1], form_data()).status_code == 404
    login_as(client, world.repairer)
    assert client.get(reverse("tariffs:staff_garages")).status_code == 404
    assert not RateCard.objects.exists()


def test_the_board_is_served_privately_and_typed_by_the_server(client, world):
    card = make_rate_card(world.garage_a)
    login_as(client, world.repairer)
    response = client.get(urls(world.garage_a)[3])
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == card.board.open("rb").read()
    download = client.get(urls(world.garage_a)[3] + "?telecharger")
    assert download["Content-Disposition"] == 'attachment; filename="tarifs-GA-v1.png"'


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_pages_do_a_constant_number_of_queries(client, world):
    make_rate_card(world.garage_a, flat_rates=[("Vidange", 90)])
    make_rate_card(world.garage_b)
    garage_page = urls(world.garage_a)[0]
    login_as(client, world.repairer)
    before = count_queries(client, garage_page)
    login_as(client, world.expert)
    staff_before = count_queries(client, reverse("tariffs:staff_garages"))
    for _ in range(5):
        make_rate_card(world.garage_a, flat_rates=[("Vidange", 90), ("Pneus", 40)])
        make_rate_card(world.garage_b)
    assert count_queries(client, reverse("tariffs:staff_garages")) == staff_before <= 8
    login_as(client, world.repairer)
    assert count_queries(client, garage_page) == before <= 8
