import pytest

from connect.push.tests.standin import PushServiceStandIn
from connect.push.vapid import new_key_pair


@pytest.fixture(scope="session")
def _push_server():
    server = PushServiceStandIn().start()
    yield server
    server.stop()


@pytest.fixture
def vapid(settings):
    """Push on: a VAPID key pair made for this test."""
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = new_key_pair()
    settings.VAPID_SUBJECT = "mailto:support@test.fr"
    return settings


@pytest.fixture
def push_service(_push_server, vapid):
    # The one loopback endpoint the portal may post to, and only in these tests.
    vapid.PUSH_TEST_SERVICE = f"http://127.0.0.1:{_push_server.port}"
    _push_server.reset(vapid.VAPID_PUBLIC_KEY)
    return _push_server
