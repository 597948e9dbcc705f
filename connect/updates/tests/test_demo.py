from types import SimpleNamespace

import pytest

from connect.updates import demo
from connect.updates.models import ServiceUpdate

pytestmark = pytest.mark.django_db


def test_demo_publishes_the_guides_versions_and_keeps_one_draft():
    for _ in range(2):  # a second run changes nothing
        demo.seed(SimpleNamespace(objects={}))
    assert list(
        ServiceUpdate.objects.published().newest_first().values_list("version", flat=True)
    ) == [
        "24.9.5",
        "24.9.3",
    ]
    assert ServiceUpdate.objects.filter(is_published=False).count() == 1
