import pytest

from connect.api.models import ApiToken
from connect.testing import ApiClient


@pytest.fixture
def token(db):
    return ApiToken.issue("gestion")


@pytest.fixture
def api(client, token):
    return ApiClient(client, token[1])


@pytest.fixture(autouse=True)
def _service_levels(db):
    """The levels the data migration seeds: a transactional test (the browser's) flushes every
    table, migrated rows included, for the tests that follow it."""
    from importlib import import_module

    from connect.deadlines.models import ServiceLevel

    for kind, amount, measure in import_module(
        "connect.deadlines.migrations.0002_service_levels"
    ).DEFAULT_LEVELS:
        ServiceLevel.objects.get_or_create(
            kind=kind, subject="", defaults={"amount": amount, "measure": measure}
        )
