import pytest

from connect.api.models import ApiToken
from connect.testing import ApiClient


@pytest.fixture
def token(db):
    return ApiToken.issue("gestion")


@pytest.fixture
def api(client, token):
    return ApiClient(client, token[1])
