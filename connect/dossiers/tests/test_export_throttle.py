import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_exports_are_limited_per_user(as_repairer, settings, name):
    settings.EXPORTS_PER_USER_PER_HOUR = 2
    assert as_repairer.get(reverse("export_csv")).status_code == 200
    assert as_repairer.get(reverse(name)).status_code == 200
    response = as_repairer.get(reverse(name))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Trop de demandes en peu de temps" in response.content.decode()
