"""The seal's keys: required with DEBUG off, and readable (connect/lib/seal.py)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from connect.lib import seal


@checks.register(checks.Tags.security)
def evidence_signing_key_set(app_configs, **kwargs) -> list[checks.CheckMessage]:
    try:
        keys = seal.keys()
    except ImproperlyConfigured as error:
        return [
            checks.Error(
                f"Evidence keys unreadable: {error}",
                hint="Generate a key with `manage.py evidence_key`.",
                id="connect.E029",
            )
        ]
    if settings.DEBUG or any(key.private is not None for key in keys):
        return []
    return [
        checks.Error(
            "EVIDENCE_SIGNING_KEYS is empty: documents would be stored without the portal's "
            "seal and no evidence pack could be signed.",
            hint="Set it to the line printed by `manage.py evidence_key` (keep it secret).",
            id="connect.E029",
        )
    ]
