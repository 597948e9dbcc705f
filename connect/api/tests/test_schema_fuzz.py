"""Schemathesis over /api/v1/openapi.json, in-process through the WSGI app, with a valid token.

Every operation gets generated requests (valid and invalid per the schema); no answer may be a
5xx, and each must match what the schema documents (status, content type, body).
(schemathesis' lazy pytest fixture does not run under pytest 9, hence one hypothesis run per
operation here.)
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.config import SchemathesisConfig

from connect.api.api import api
from connect.api.client_api import client_api

# A well-formed request may still name a garage, unit or expert the portal does not know, or a
# date outside 1900-2100: the schema cannot say which exist, so 422 is an accepted answer to
# schema-valid data (what it must never be is a 5xx or a body the schema does not describe).
CONFIG = SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ["2XX", 404, 409, 422]}}}
)
OPERATIONS = [
    (method.upper(), path)
    for path, item in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].items()
    for method in item
]


@pytest.fixture
def keep_test_connection():
    """Requests go through the bare WSGI app: keep Django from closing the test's connection
    at each request's end (its test client does the same), or PostgreSQL loses the test's
    transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_the_api_honours_its_schema(
    method, path, world, token, private_files, keep_test_connection
):
    honours_schema("/api/v1/openapi.json", method, path, key=token[1])


def honours_schema(schema_url: str, method: str, path: str, *, key: str) -> None:
    """Generated requests to one operation, each answered as the schema says."""
    from connect.wsgi import application

    schema = schemathesis.openapi.from_wsgi(schema_url, application, config=CONFIG)
    operation = schema[path][method]
    headers = {"Authorization": f"Bearer {key}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=15,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def honours(case):
        case.call_and_validate(headers=headers)

    honours()


CLIENT_OPERATIONS = [
    (method.upper(), path)
    for path, item in client_api.get_openapi_schema(path_prefix="/api/client/v1/")["paths"].items()
    for method in item
]


@pytest.mark.parametrize(
    ("method", "path"), CLIENT_OPERATIONS, ids=[" ".join(o) for o in CLIENT_OPERATIONS]
)
def test_the_clients_api_honours_its_schema(
    method, path, world, private_files, keep_test_connection
):
    """The same over the clients' API (issue 27), with a client's token."""
    from connect.api.models import ApiToken

    key = ApiToken.issue("fuzz", client=world.client)[1]
    honours_schema("/api/client/v1/openapi.json", method, path, key=key)
