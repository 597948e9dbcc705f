"""Client users' access codes: `CL-7KQ2-M9XD`, their "Identifiant" on the login page.

Eight characters drawn with `secrets` from an alphabet without the signs people mix up when
they read a code aloud or copy it from paper (0/O, 1/I/L): 31^8 ≈ 8.5 × 10^11 codes. Typed
in any case, with or without the dashes or spaces. A code is never issued twice: every issued
code stays in `AccessCode`, whose unique key decides a draw that meets an old one.
"""

import re
import secrets

from django.db import IntegrityError, transaction

from connect.accounts.models import AccessCode, User, normalize_email

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "CL"
LENGTH = 8
_TYPED = re.compile(r"CL([%s]{%d})" % (ALPHABET, LENGTH))  # noqa: UP031
_SEPARATORS = re.compile(r"[\s\-‐-―]+")


def draw() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def canonical(text: str) -> str | None:
    """The code `text` stands for (`cl 7kq2m9xd` → `CL-7KQ2-M9XD`), or None: not a code."""
    compact = _SEPARATORS.sub("", text or "").upper()
    match = _TYPED.fullmatch(compact)
    if match is None:
        return None
    body = match.group(1)
    return f"{PREFIX}-{body[:4]}-{body[4:]}"


def issue(user: User, *, attempts: int = 20) -> str:
    """A fresh code for `user` (its earlier ones stop working but stay issued)."""
    for _ in range(attempts):
        code = draw()
        try:
            with transaction.atomic():
                AccessCode.objects.filter(user=user).update(user=None)
                AccessCode.objects.create(code=code, user=user)
        except IntegrityError:  # drawn before: never again
            continue
        return code
    raise RuntimeError(f"no fresh access code after {attempts} draws")


def current_code(user: User) -> str:
    found = AccessCode.objects.filter(user=user).values_list("code", flat=True).first()
    return found or ""


def login_name(identifier: str) -> str:
    """What the login form and its throttles know an account by: an e-mail as typed
    (normalised), or for an access code its holder's e-mail, so that a code and the e-mail
    share one account's throttles. An unknown code stays the code."""
    code = canonical(identifier)
    if code is None:
        return normalize_email(identifier)
    email = AccessCode.objects.filter(code=code, user__isnull=False).values_list(
        "user__email", flat=True
    )
    return email.first() or code
