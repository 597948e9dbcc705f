"""The public rates read amounts with the portal's one reader (connect/lib/money.py): what is
ambiguous is refused with the way to write it, never guessed (issue 24, item 18)."""

from decimal import Decimal

import pytest

from connect.tariffs.models import RateCard
from connect.tariffs.tests.factories import submit
from connect.testing import login_as


@pytest.mark.parametrize("field", ["labour_t1", "forfaits-0-price"])
def test_an_ambiguous_amount_is_refused_with_the_way_to_write_it(
    client, world, private_storage, field
):
    response = submit(login_as(client, world.repairer), world.garage_a, **{field: "1.250"})
    page = response.content.decode().replace("&#x27;", "'")
    assert "« 1.250 » est ambigu : écrivez 1 250 pour des milliers" in page
    assert not RateCard.objects.exists()


def test_amounts_with_a_leading_euro_sign_are_read(client, world, private_storage):
    submit(
        login_as(client, world.repairer),
        world.garage_a,
        labour_t1="€ 62,50",
        **{"forfaits-0-price": "€\u00a089,90"},
    )
    card = RateCard.objects.get()
    assert card.labour_t1 == Decimal("62.50")
    assert card.flat_rates.get(label="Vidange").price == Decimal("89.90")
