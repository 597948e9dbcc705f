"""The portal's VAPID identity (RFC 8292): the key pair the browsers subscribe with and the push
services check each request against. Keys travel as base64url, as the browsers take them."""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_of(private_key: ec.EllipticCurvePrivateKey) -> str:
    """The uncompressed P-256 point: what `applicationServerKey` expects."""
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def new_key_pair() -> tuple[str, str]:
    """(public, private): the private key as its raw 32-byte scalar, as py_vapid reads it."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    scalar = private_key.private_numbers().private_value.to_bytes(32, "big")
    return public_key_of(private_key), b64url(scalar)


def load_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """Raises ValueError on anything but a base64url P-256 scalar."""
    scalar = b64url_decode(text.strip())
    if len(scalar) != 32:
        raise ValueError("a VAPID private key is 32 bytes")
    return ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)
