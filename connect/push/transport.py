"""The HTTP session the push job posts with: no redirect followed, no proxy, and every
connection's address checked once connected (DNS can point an allowed name anywhere, and
checking the address actually connected to leaves no gap between the check and the use).
"""

import ipaddress
import socket
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.util import parse_url

from connect.push.hosts import loopback_test_server


class RefusedAddress(Exception):
    """The endpoint's host resolved to an address of our own network (or a reserved one).
    Not an OSError: requests and urllib3 let it through instead of retrying."""


def address_allowed(address: str, port: int) -> bool:
    """A public unicast address; the push tests' loopback server by its exact address and port."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    test_server = loopback_test_server()
    if test_server:
        url = parse_url(test_server)
        if (str(ip), port) == (url.host, url.port):
            return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def _checked(sock: socket.socket, host: str) -> socket.socket:
    address, port = sock.getpeername()[:2]
    if not address_allowed(address, port):
        sock.close()
        raise RefusedAddress(f"{host} resolved to {address}, an address of no push service")
    return sock


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(super()._new_conn(), self.host)


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _checked(super()._new_conn(), self.host)


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


class PushSession(requests.Session):
    """A POST never follows a redirect: an allowed host cannot send the workers elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False  # a proxy would be the address connected to, and hide the host's
        self.max_redirects = 0
        for scheme in ("http://", "https://"):
            self.mount(scheme, _CheckedAdapter())

    def post(self, url: Any, data: Any = None, json: Any = None, **kwargs: Any) -> Any:
        kwargs["allow_redirects"] = False
        return super().post(url, data=data, json=json, **kwargs)
