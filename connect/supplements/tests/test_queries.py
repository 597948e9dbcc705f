"""The supplements' pages cost the same number of queries whatever the number of supplements
and decisions (prefetched), on the staff page and on the dossier page."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from connect.supplements.services import SupplementDraft, decide_supplement, submit_supplement
from connect.testing import login_as


def add(world, count):
    for _ in range(count):
        supplement = submit_supplement(
            dossier=world.dossier_a, by=world.repairer, draft=SupplementDraft(Decimal("50"))
        )
        decide_supplement(
            supplement=supplement, by=world.expert, outcome="partly", accepted_amount=Decimal("20")
        )


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_do_not_grow_with_the_supplements(client, world):
    staff = reverse("supplements:staff_supplements", args=[world.dossier_a.code])
    page = reverse("dossier_detail", args=[world.dossier_a.code])
    add(world, 1)
    few = (
        queries(login_as(client, world.expert), staff),
        queries(login_as(client, world.repairer), page),
    )
    add(world, 4)
    many = (
        queries(login_as(client, world.expert), staff),
        queries(login_as(client, world.repairer), page),
    )
    assert many == few
