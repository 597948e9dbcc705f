import pytest
from django.test import Client
from django.urls import reverse

from connect.testing import login_as

pytestmark = pytest.mark.django_db


def test_dossier_archives_are_limited_per_user_and_per_dossier(client, world, settings):
    settings.EXPORTS_PER_DOSSIER_PER_HOUR = 2
    url = reverse("documents_zip", kwargs={"code": world.dossier_a.code})
    repairer = login_as(client, world.repairer)
    assert repairer.get(url).status_code == 200
    assert repairer.get(url).status_code == 200
    colleague = login_as(Client(), world.colleague)
    response = colleague.get(url)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    other = reverse("documents_zip", kwargs={"code": world.dossier("99680", world.garage_a).code})
    assert colleague.get(other).status_code == 200
