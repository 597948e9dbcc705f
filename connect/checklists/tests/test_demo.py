"""`seed_demo` shows checklists and supplements to the demo repairer (`make run`)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from connect.accounts.models import User
from connect.checklists.models import ItemStatus, RequestItem
from connect.supplements.models import Supplement
from connect.testing import login_as


@pytest.mark.django_db
def test_the_demo_has_requests_and_supplements_on_the_repairers_dossiers(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dossiers", "120", "--seed", "7", verbosity=0)
    repairer = User.objects.get(email="reparateur@demo.test")
    items = RequestItem.objects.filter(request__dossier__garage__memberships__user=repairer)
    assert set(items.values_list("status", flat=True)) == {
        ItemStatus.ANSWERED,
        ItemStatus.REQUESTED,
        ItemStatus.RECEIVED,
    }
    assert RequestItem.objects.filter(status=ItemStatus.REQUESTED).count() == 4
    supplements = Supplement.objects.prefetch_related("decisions")
    assert sorted(bool(s.decision) for s in supplements) == [False, True]

    dossier = items.first().request.dossier
    html = login_as(client, repairer).get(reverse("dossier_detail", args=[dossier.code]))
    assert "Compléments demandés" in html.content.decode()
    mine = Supplement.objects.get(dossier__garage__memberships__user=repairer)
    html = client.get(reverse("dossier_detail", args=[mine.dossier.code])).content.decode()
    assert "Accepté en partie" in html and "Total accordé HT" in html
