"""The portal's Ed25519 seal: keys from the environment, canonical JSON, sign and verify.

`EVIDENCE_SIGNING_KEYS` holds the private keys as `id:seed` (the 32-byte Ed25519 seed in
base64url), newest first: the first one signs, every one verifies. Rotation: put the new key in
front and keep the old ones; once an old private key is destroyed, move its public half to
`EVIDENCE_RETIRED_KEYS` (`id:public key`), which only verifies. `manage.py evidence_key` prints a
new pair. Without any key, development and tests (DEBUG or TESTING) sign with a key derived from
SECRET_KEY (id `dev`, never valid elsewhere: its public key is published like any other);
production refuses to start the checks (connect.E029) and leaves documents unsealed, to be sealed
by `manage.py seal_documents` once a key is set.

What is signed is the canonical JSON of a payload (sorted keys, no spaces, UTF-8): any reader
can rebuild the same bytes, the standalone verifier (tools/verify_evidence.py) included.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"
DEV_KEY_ID = "dev"
KEY_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


class NoSigningKey(ImproperlyConfigured):
    """No key to sign with (production without EVIDENCE_SIGNING_KEYS)."""


@dataclass(frozen=True)
class Key:
    id: str
    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None

    @property
    def public_b64(self) -> str:
        return b64(self.public.public_bytes(Encoding.Raw, PublicFormat.Raw))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(value: object) -> bytes:
    """The one byte form of a JSON value that is signed and hashed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def new_key(key_id: str) -> tuple[str, str]:
    """A fresh pair as `id:seed` (EVIDENCE_SIGNING_KEYS) and `id:public` (EVIDENCE_RETIRED_KEYS)."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes_raw()
    key = Key(id=key_id, public=private.public_key(), private=private)
    return f"{key_id}:{b64(seed)}", f"{key_id}:{key.public_b64}"


def _split(entry: str, setting: str) -> tuple[str, bytes]:
    key_id, sep, value = entry.strip().partition(":")
    if not sep or not key_id or not set(key_id) <= KEY_ID_CHARS or len(key_id) > 40:
        raise ImproperlyConfigured(
            f"{setting}: each key is `id:base64url` with an id of letters, digits, - _ . "
            f"(got {key_id!r})"
        )
    try:
        raw = unb64(value)
    except ValueError:
        raise ImproperlyConfigured(f"{setting}: key {key_id!r} is not base64url") from None
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{setting}: key {key_id!r} must be 32 bytes, got {len(raw)}")
    return key_id, raw


@lru_cache(maxsize=8)
def _parse(signing: tuple[str, ...], retired: tuple[str, ...], fallback: str) -> tuple[Key, ...]:
    keys: list[Key] = []
    for entry in signing:
        key_id, seed = _split(entry, "EVIDENCE_SIGNING_KEYS")
        private = Ed25519PrivateKey.from_private_bytes(seed)
        keys.append(Key(id=key_id, public=private.public_key(), private=private))
    for entry in retired:
        key_id, raw = _split(entry, "EVIDENCE_RETIRED_KEYS")
        keys.append(Key(id=key_id, public=Ed25519PublicKey.from_public_bytes(raw)))
    if not keys and fallback:
        seed = hashlib.sha256(f"connect evidence development key {fallback}".encode()).digest()
        private = Ed25519PrivateKey.from_private_bytes(seed)
        keys.append(Key(id=DEV_KEY_ID, public=private.public_key(), private=private))
    ids = [key.id for key in keys]
    if len(set(ids)) != len(ids):
        raise ImproperlyConfigured("EVIDENCE_SIGNING_KEYS / EVIDENCE_RETIRED_KEYS: an id twice")
    return tuple(keys)


def keys() -> tuple[Key, ...]:
    """Every key that verifies, the signing one first."""
    development = settings.DEBUG or getattr(settings, "TESTING", False)
    return _parse(
        tuple(settings.EVIDENCE_SIGNING_KEYS),
        tuple(settings.EVIDENCE_RETIRED_KEYS),
        settings.SECRET_KEY if development else "",
    )


def signing_key() -> Key:
    for key in keys():
        if key.private is not None:
            return key
    raise NoSigningKey("EVIDENCE_SIGNING_KEYS is empty: nothing can be sealed.")


def sign(payload: object) -> tuple[str, str]:
    """(key id, base64url signature) of the payload's canonical bytes, by the newest key."""
    return sign_bytes(canonical(payload))


def sign_bytes(data: bytes) -> tuple[str, str]:
    key = signing_key()
    assert key.private is not None
    return key.id, b64(key.private.sign(data))


def verify(payload: object, *, key_id: str, signature: str) -> bool:
    """True when one of our keys of that id signed exactly this payload."""
    for key in keys():
        if key.id == key_id:
            try:
                key.public.verify(unb64(signature), canonical(payload))
            except (InvalidSignature, ValueError):
                return False
            return True
    return False


def published() -> dict:
    """The public keys as published at /.well-known/connect-evidence-keys.json."""
    all_keys = keys()
    signer = next((key.id for key in all_keys if key.private is not None), None)
    return {
        "algorithm": ALGORITHM,
        "encoding": "base64url (RFC 4648 §5, no padding), raw 32-byte public keys",
        "signed": "canonical JSON: keys sorted, no spaces, UTF-8",
        "keys": [
            {"id": key.id, "public_key": key.public_b64, "signs": key.id == signer}
            for key in all_keys
        ],
    }
