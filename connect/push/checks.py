from django.conf import settings
from django.core import checks

from connect.push.vapid import load_private_key, public_key_of, push_enabled


@checks.register(checks.Tags.compatibility)
def vapid_configured(app_configs, **kwargs):
    if not push_enabled():
        return [
            checks.Warning(
                "VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY are not set: Web Push notifications are off.",
                hint="Run `manage.py vapid_keys` and put the pair in the environment.",
                id="connect.W018",
            )
        ]
    try:
        matches = public_key_of(load_private_key(settings.VAPID_PRIVATE_KEY)) == (
            settings.VAPID_PUBLIC_KEY.strip()
        )
    except ValueError:
        matches = False
    if matches:
        return []
    return [
        checks.Error(
            "VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY (or a key is malformed):"
            " every push would be refused.",
            hint="Use the pair printed by `manage.py vapid_keys`, unchanged.",
            id="connect.E018",
        )
    ]


@checks.register(checks.Tags.security)
def no_push_test_service(app_configs: object, **kwargs: object) -> list[checks.CheckMessage]:
    """The loopback exception is for the push tests' own server: never in a running portal."""
    if not settings.PUSH_TEST_SERVICE or settings.TESTING:
        return []
    return [
        checks.Error(
            "PUSH_TEST_SERVICE is set outside the tests: the workers could post to the loopback.",
            hint="Leave PUSH_TEST_SERVICE empty; only the test suite sets it.",
            id="connect.E028",
        )
    ]
