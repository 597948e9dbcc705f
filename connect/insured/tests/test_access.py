"""Isolation: an insured reaches their own dossiers and nothing else, on every URL of the space;
access is computed from the dossier's current facts, so the core system's changes apply at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from connect.accounts.models import Role, User
from connect.documents.services import release_to_insured
from connect.documents.tests.helpers import add_pdf, add_photo
from connect.insured.access import followed_dossiers
from connect.insured.tests.helpers import follow
from connect.testing import PASSWORD, ApiClient, login_as

pytestmark = pytest.mark.django_db


def space_urls(dossier, document):
    return [
        reverse("insured:dossier", args=[dossier.code]),
        reverse("insured:appointment", args=[dossier.code]),
        reverse("insured:document", args=[dossier.code, document.code]),
    ]


@pytest.fixture
def two_owners(world):
    """world.insured follows dossiers A and B; another insured follows C."""
    soon = timezone.now() + timedelta(days=2)
    follow(world.dossier_a, world.insured.email, appointment_at=soon)
    follow(world.dossier_b, world.insured.email, appointment_at=soon)
    other = User.objects.create_user("paul@exemple.fr", PASSWORD, role=Role.INSURED)
    follow(world.dossier_c, other.email, appointment_at=soon)
    documents = {}
    for dossier in (world.dossier_a, world.dossier_b, world.dossier_c):
        documents[dossier.pk] = add_pdf(dossier)
        release_to_insured(document=documents[dossier.pk], released=True)
    world.other_insured = other
    world.released = documents
    return world


def test_an_insured_with_two_dossiers_sees_both_and_reaches_each_url(client, two_owners):
    w = two_owners
    home = login_as(client, w.insured).get(reverse("insured:home")).content.decode()
    assert w.dossier_a.reference in home and w.dossier_b.reference in home
    assert w.dossier_c.reference not in home
    for dossier in (w.dossier_a, w.dossier_b):
        for url in space_urls(dossier, w.released[dossier.pk]):
            assert client.get(url).status_code == 200, url


def test_another_persons_dossier_is_a_404_on_every_url(client, two_owners):
    w = two_owners
    theirs = space_urls(w.dossier_c, w.released[w.dossier_c.pk])
    for url in theirs:
        assert login_as(client, w.insured).get(url).status_code == 404, url
    # Mixing a dossier of one's own with another's document is a 404 too.
    mixed = reverse("insured:document", args=[w.dossier_a.code, w.released[w.dossier_c.pk].code])
    assert client.get(mixed).status_code == 404
    for user in (w.other_insured,):
        for url in space_urls(w.dossier_a, w.released[w.dossier_a.pk]):
            assert login_as(client, user).get(url).status_code == 404, url


def test_repairers_and_staff_never_enter_the_space(client, two_owners):
    w = two_owners
    urls = [reverse("insured:home"), *space_urls(w.dossier_a, w.released[w.dossier_a.pk])]
    for user in (w.repairer, w.other_repairer, w.expert, w.other_expert, w.client_user):
        for url in urls:
            assert login_as(client, user).get(url).status_code == 404, (user.email, url)


def test_a_document_not_released_is_a_404_and_is_not_listed(client, two_owners):
    w = two_owners
    photo = add_photo(w.dossier_a)
    page = login_as(client, w.insured).get(reverse("insured:dossier", args=[w.dossier_a.code]))
    assert str(photo.code) not in page.content.decode()
    url = reverse("insured:document", args=[w.dossier_a.code, photo.code])
    assert client.get(url).status_code == 404
    release_to_insured(document=photo, released=True)
    assert client.get(url).status_code == 200
    release_to_insured(document=photo, released=False)
    assert client.get(url).status_code == 404


@pytest.fixture
def api_token(db):
    from connect.api.models import ApiToken

    return ApiToken.issue("gestion")[1]


def test_access_moves_with_an_email_changed_through_the_api(client, world, api_token):
    follow(world.dossier_a, world.insured.email)
    page = reverse("insured:dossier", args=[world.dossier_a.code])
    assert login_as(client, world.insured).get(page).status_code == 200
    api = ApiClient(client, api_token)
    fetched = api.get("/api/v1/dossiers/99677").json()
    assert fetched["insured_email"] == world.insured.email
    api.put("/api/v1/dossiers/99677", {**fetched, "insured_email": "nouvelle@exemple.fr"})
    newcomer = User.objects.create_user("nouvelle@exemple.fr", PASSWORD, role=Role.INSURED)
    assert login_as(client, world.insured).get(page).status_code == 404
    assert login_as(client, newcomer).get(page).status_code == 200
    moved = {**fetched, "insured_email": "nouvelle@exemple.fr"}
    api.put("/api/v1/dossiers/99677", {**moved, "insured_access": False})
    assert login_as(client, newcomer).get(page).status_code == 404


def test_archived_dossiers_stay_readable_for_the_period(world, settings):
    settings.INSURED_ARCHIVE_READ_DAYS = 90
    follow(world.dossier_a, world.insured.email, archived=True)
    world.dossier_a.archived_at = timezone.now() - timedelta(days=89)
    world.dossier_a.save()
    assert list(followed_dossiers(world.insured)) == [world.dossier_a]
    world.dossier_a.archived_at = timezone.now() - timedelta(days=91)
    world.dossier_a.save()
    assert list(followed_dossiers(world.insured)) == []
    settings.INSURED_ARCHIVE_READ_DAYS = 0
    world.dossier_a.archived_at = timezone.now() - timedelta(minutes=1)
    world.dossier_a.save()
    assert list(followed_dossiers(world.insured)) == []


def test_a_disabled_insured_account_follows_nothing(world):
    follow(world.dossier_a, world.insured.email)
    world.insured.is_active = False
    world.insured.save()
    assert list(followed_dossiers(world.insured)) == []


def test_a_professional_named_as_insured_does_not_follow_through_the_space(world):
    follow(world.dossier_b, world.repairer.email)
    assert list(followed_dossiers(world.repairer)) == []


def test_a_released_photo_is_previewed_and_an_unreleased_one_is_not(client, world):
    from connect.testing import run_tasks

    follow(world.dossier_a, world.insured.email)
    photo = add_photo(world.dossier_a)
    run_tasks()  # the thumbnail, off the request path
    photo.refresh_from_db()
    url = reverse("insured:document_thumbnail", args=[world.dossier_a.code, photo.code])
    assert login_as(client, world.insured).get(url).status_code == 404
    release_to_insured(document=photo, released=True)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    page = client.get(reverse("insured:dossier", args=[world.dossier_a.code])).content.decode()
    assert url in page
    pdf = add_pdf(world.dossier_a)
    release_to_insured(document=pdf, released=True)
    no_thumb = reverse("insured:document_thumbnail", args=[world.dossier_a.code, pdf.code])
    assert client.get(no_thumb).status_code == 404
