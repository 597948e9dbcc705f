"""The API tokens' admin: revoking speaks French, plurals included."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from connect.api.models import ApiToken
from connect.testing import login_as

pytestmark = pytest.mark.django_db


def revoke(client, tokens) -> str:
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk for token in tokens]},
    )
    assert response.status_code == 302
    return str(list(get_messages(response.wsgi_request))[-1])  # the earlier ones stay unread


def test_revoking_tokens_counts_them_in_french(client, world):
    login_as(client, world.admin)
    first, second, third = (ApiToken.issue(f"Système {n}")[0] for n in range(3))
    assert revoke(client, [first]) == "1 jeton révoqué."
    assert revoke(client, [second, third]) == "2 jetons révoqués."
    assert revoke(client, [first, second]) == "0 jeton révoqué."  # already revoked
