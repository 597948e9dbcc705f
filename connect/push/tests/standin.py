"""A push service on the loopback, for the tests: a real HTTP server that checks the portal's
VAPID signature (RFC 8292) and decrypts each message with the browser's keys (RFC 8291), as a
browser would; the "browser" is a P-256 key pair and an auth secret generated here."""

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from connect.push.vapid import b64url, b64url_decode
from connect.testing.servers import port

PORT = port(18450)


@dataclass
class Browser:
    """One subscribed browser: what it would give `PushSubscription.toJSON()`, and its key."""

    token: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    def subscription(self) -> dict:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }


@dataclass
class Received:
    token: str
    headers: dict
    claims: dict
    payload: dict


@dataclass
class PushServiceStandIn:
    port: int = PORT
    browsers: dict[str, Browser] = field(default_factory=dict)
    answers: dict[str, list[int]] = field(default_factory=dict)  # token → statuses to give, in turn
    received: list[Received] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)  # token → Location of a 3xx
    vapid_public_key: str = ""

    def start(self) -> "PushServiceStandIn":
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = standin.handle(self.path, dict(self.headers), body)
                self.send_response(status)
                if status in (301, 302, 307, 308):
                    self.send_header("Location", standin.redirects[self.path.rsplit("/", 1)[-1]])
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self, vapid_public_key: str) -> None:
        self.browsers.clear()
        self.answers.clear()
        self.received.clear()
        self.refused.clear()
        self.redirects.clear()
        self.vapid_public_key = vapid_public_key

    def browser(self) -> Browser:
        token = secrets.token_urlsafe(16)
        browser = Browser(
            token=token,
            endpoint=f"http://127.0.0.1:{self.port}/push/{token}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth=os.urandom(16),
        )
        self.browsers[token] = browser
        return browser

    def answer(self, browser: Browser, *statuses: int) -> None:
        self.answers[browser.token] = list(statuses)

    def redirect(self, browser: Browser, to: str) -> None:
        self.redirects[browser.token] = to
        self.answer(browser, 307)

    def payloads(self, browser: Browser | None = None) -> list[dict]:
        return [r.payload for r in self.received if browser is None or r.token == browser.token]

    def handle(self, path: str, headers: dict, body: bytes) -> int:
        headers = {key.lower(): value for key, value in headers.items()}
        token = path.rsplit("/", 1)[-1]
        browser = self.browsers.get(token)
        if browser is None:
            return 404
        queued = self.answers.get(token)
        if queued:
            status = queued.pop(0)
            if status >= 300:
                return status
        claims = self._vapid_claims(headers.get("authorization", ""))
        if claims is None:
            self.refused.append(token)
            return 403
        plain = http_ece.decrypt(
            body, private_key=browser.private_key, auth_secret=browser.auth, version="aes128gcm"
        )
        self.received.append(Received(token, headers, claims, json.loads(plain)))
        return 201

    def _vapid_claims(self, authorization: str) -> dict | None:
        """The JWT's claims when it is signed by the portal's key for this origin, else None."""
        if not authorization.startswith("vapid "):
            return None
        parts = dict(item.strip().split("=", 1) for item in authorization[6:].split(","))
        if parts.get("k") != self.vapid_public_key:
            return None
        header, claims, signature = parts["t"].split(".")
        raw = b64url_decode(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64url_decode(parts["k"])
        )
        try:
            public_key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return None
        decoded = json.loads(b64url_decode(claims))
        if decoded.get("aud") != f"http://127.0.0.1:{self.port}" or decoded["exp"] < time.time():
            return None
        return decoded
