from types import SimpleNamespace

import pytest

from connect.api.models import Event
from connect.tariffs import demo
from connect.tariffs.models import RateCard

pytestmark = pytest.mark.django_db


def test_demo_gives_the_first_garage_a_card_in_force_and_a_future_one(world):
    demo.seed(SimpleNamespace(objects={"garages": [world.garage_a, world.garage_b]}))
    current = RateCard.objects.current_for(world.garage_a)
    assert current.version == 1
    assert RateCard.objects.filter(garage=world.garage_a).count() == 2
    assert Event.objects.filter(kind="rate_card.submitted").count() == 2
