"""Where the workers may post a push: the push services' hosts (PUSH_SERVICE_HOSTS), over HTTPS.

A subscription's endpoint is the browser's word: checked when it is recorded (forms.py) and
again before each post (tasks.py), so the portal is never made to post inside its own network.
"""

from urllib.parse import urlsplit

from django.conf import settings


def endpoint_allowed(endpoint: str) -> bool:
    """Only a push service's host over HTTPS (plain http to the loopback in the tests)."""
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return settings.TESTING and parts.scheme == "http" and host == "127.0.0.1"
    return any(host == allowed or host.endswith(f".{allowed}") for allowed in _hosts())


def _hosts() -> list[str]:
    return [host.lower().lstrip(".") for host in settings.PUSH_SERVICE_HOSTS]
