import pytest
from django.urls import reverse

from connect.testing import login_as
from connect.updates.models import ServiceUpdate

pytestmark = pytest.mark.django_db


def form(**overrides):
    data = {
        "version": "24.9.5",
        "published_on": "2024-10-07",
        "title": "Tarifs publics",
        "body": "Texte **important**.",
        "audience": "repairers",
    }
    return {**data, **overrides}


def test_staff_write_a_draft_then_publish_it(client, world):
    login_as(client, world.expert)
    response = client.post(reverse("updates:create"), form())
    assert response.status_code == 302
    update = ServiceUpdate.objects.get()
    assert not update.is_published and update.author == world.expert

    client.post(reverse("updates:edit", kwargs={"update_id": update.pk}), form(is_published="on"))
    update.refresh_from_db()
    assert update.is_published and update.author == world.expert


def test_bad_version_and_duplicate_are_refused_with_french_errors(client, world):
    login_as(client, world.manager)
    client.post(reverse("updates:create"), form())
    dup = client.post(reverse("updates:create"), form(title="Autre")).content.decode()
    assert "Cette version existe déjà." in dup
    bad = client.post(reverse("updates:create"), form(version="v2")).content.decode()
    assert "24.9.5" in bad and "Numéro de version" in bad
    assert ServiceUpdate.objects.count() == 1


def test_repairers_cannot_reach_the_writing_pages(client, world):
    login_as(client, world.repairer)
    assert client.get(reverse("updates:manage")).status_code == 404
    assert client.post(reverse("updates:create"), form()).status_code == 404
    assert not ServiceUpdate.objects.exists()


def test_the_manage_page_lists_drafts_too(client, world):
    ServiceUpdate.objects.create(version="25.1.0", title="Brouillon", body="x")
    page = login_as(client, world.advisor).get(reverse("updates:manage")).content.decode()
    assert "Brouillon" in page


def test_the_audience_is_chosen_when_writing(client, world):
    login_as(client, world.expert)
    page = client.get(reverse("updates:create")).content.decode()
    assert "Destinataires" in page and "Réparateurs et cabinet" in page
    client.post(reverse("updates:create"), form(audience="staff"))
    assert ServiceUpdate.objects.get().audience == "staff"
