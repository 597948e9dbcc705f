"""Where the workers may post a push: the push services' hosts (PUSH_SERVICE_HOSTS), over HTTPS.

A subscription's endpoint is the browser's word: checked when it is recorded (forms.py) and
again before each post (tasks.py), so the portal is never made to post inside its own network.
It is read with the parser that sends it (requests' preparation, then urllib3's parse_url):
`urllib.parse` reads `https://evil.example\\@fcm.googleapis.com/` as Google's host, urllib3
as evil.example's. At send time the address connected to is checked too (transport.py).
"""

import ipaddress
from urllib.parse import urlsplit

import requests
from django.conf import settings
from urllib3.exceptions import LocationParseError
from urllib3.util import Url, parse_url


def endpoint_allowed(endpoint: str) -> bool:
    """Only a push service's host by its name, over HTTPS on the default port, nothing but
    printable ASCII, no backslash, no user info. The push tests' loopback server is the one
    exception, and only while PUSH_TEST_SERVICE names it (never set outside the tests)."""
    if not endpoint.isascii() or not endpoint.isprintable() or "\\" in endpoint or " " in endpoint:
        return False
    url = _as_sent(endpoint)
    if url is None or url.auth is not None or not url.host:
        return False
    # Both parsers must agree on the host, whatever the one we send with would make of it.
    if (urlsplit(endpoint).hostname or "") != url.host.lower():
        return False
    if _origin(url) == loopback_test_server():
        return True
    if url.scheme != "https" or url.port is not None or _is_ip(url.host):
        return False
    host = url.host.lower()
    return any(host == allowed or host.endswith(f".{allowed}") for allowed in _hosts())


def loopback_test_server() -> str:
    """The push tests' loopback server (`http://127.0.0.1:<port>`), or "" (always, in
    production: a system check refuses it set without TESTING)."""
    return getattr(settings, "PUSH_TEST_SERVICE", "") or ""


def _as_sent(endpoint: str) -> Url | None:
    """The URL as requests prepares it and urllib3 connects to it."""
    try:
        prepared = requests.PreparedRequest()
        prepared.prepare_url(endpoint, None)
        return parse_url(prepared.url or "")
    except (requests.RequestException, LocationParseError, ValueError, UnicodeError):
        return None


def _origin(url: Url) -> str:
    return f"{url.scheme}://{url.host}:{url.port}" if url.port else ""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _hosts() -> list[str]:
    return [host.lower().lstrip(".") for host in settings.PUSH_SERVICE_HOSTS]
