"""Malware scanning of every upload by clamd, over its socket (clamav-client's INSTREAM).

Fail closed: when a scanner is configured (CLAMAV_ADDRESS) and cannot give a clean verdict —
down, timing out, over its stream limit, answering an error — the file is refused with
"réessayez plus tard" and nothing is stored; nothing is ever held unscanned. With no
CLAMAV_ADDRESS (a bare `make run`), uploads are not scanned and `manage.py check` warns.
"""

import contextlib

from django.conf import settings
from django.core import checks

SCANNED_MARK = "_connect_clean_sha256"


class ScanRefused(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def client():
    from clamav_client.clamd import ClamdNetworkSocket, ClamdUnixSocket

    address = settings.CLAMAV_ADDRESS
    timeout = settings.CLAMAV_TIMEOUT_SECONDS
    if address.startswith("/"):
        return ClamdUnixSocket(path=address, timeout=timeout)
    host, _, port = address.rpartition(":")
    return ClamdNetworkSocket(host=host or "127.0.0.1", port=int(port), timeout=timeout)


def scan(file, *, sha256: str) -> None:
    """Raise ScanRefused("infected", name) or ScanRefused("unavailable", why); None when clean.

    A file object already found clean with the same digest is not sent twice (the forms check
    an upload, then the service that stores it checks it again).
    """
    if not settings.CLAMAV_ADDRESS or getattr(file, SCANNED_MARK, None) == sha256:
        return
    from clamav_client.clamd import ClamdError

    file.seek(0)
    try:
        report = client().instream(file)
    except (ClamdError, OSError, ValueError) as error:
        raise ScanRefused("unavailable", str(error)) from error
    finally:
        file.seek(0)
    status, detail = report.get("stream") or ("ERROR", "no answer")
    if status == "FOUND":
        raise ScanRefused("infected", detail or "")
    if status != "OK":
        raise ScanRefused("unavailable", f"{status} {detail}")
    with contextlib.suppress(AttributeError):  # a file taking no attribute is scanned again
        setattr(file, SCANNED_MARK, sha256)


@checks.register(checks.Tags.security, deploy=False)
def scanner_configured(app_configs, **kwargs):
    if settings.CLAMAV_ADDRESS:
        return []
    return [
        checks.Warning(
            "CLAMAV_ADDRESS is not set: uploads are NOT scanned for malware.",
            hint="Run clamd and set CLAMAV_ADDRESS (host:port or a unix socket path).",
            id="connect.W001",
        )
    ]
