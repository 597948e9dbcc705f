"""Only the uploader, and only while they reach the dossier, may touch an upload: 404 else."""

import pytest

from connect.accounts.models import Membership
from connect.testing import login_as
from connect.uploads.models import Upload
from connect.uploads.tests.helpers import create, patch, stored_parts


@pytest.fixture
def upload_url(as_repairer, world):
    return create(as_repairer, world.dossier_a, b"x" * 100)["Location"]


@pytest.mark.parametrize("persona", ["colleague", "other_repairer", "expert", "other_expert"])
def test_someone_else_gets_a_404_on_any_method(client, world, upload_url, persona):
    login_as(client, getattr(world, persona))
    assert client.get(upload_url).status_code == 404
    assert client.head(upload_url).status_code == 404
    assert patch(client, upload_url, b"y" * 100, 0, 100).status_code == 404
    assert client.delete(upload_url).status_code == 404
    upload = Upload.objects.get()
    assert upload.offset == 0 and stored_parts() == []


def test_a_repairer_cannot_create_an_upload_on_another_garages_dossier(client, world):
    login_as(client, world.other_repairer)
    assert create(client, world.dossier_a, b"x" * 10).status_code == 404
    assert not Upload.objects.exists()


def test_an_uploader_who_left_the_garage_gets_a_404(as_repairer, world, upload_url):
    Membership.objects.filter(user=world.repairer).delete()
    assert as_repairer.get(upload_url).status_code == 404


def test_an_expired_upload_is_a_404(as_repairer, world, upload_url):
    from django.utils import timezone

    Upload.objects.update(expires_at=timezone.now())
    assert as_repairer.get(upload_url).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, world, upload_url):
    client.logout()
    assert client.get(upload_url).status_code == 302
    assert create(client, world.dossier_a, b"x").status_code == 302


def test_chunks_need_the_csrf_token(world, upload_url):
    from django.test import Client

    strict = login_as(Client(enforce_csrf_checks=True), world.repairer)
    assert patch(strict, upload_url, b"y" * 100, 0, 100).status_code == 403
