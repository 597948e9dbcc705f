import re
from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from connect.lib.plates import fold

FRENCH_LIST = Path(__file__).parent / "data" / "common-passwords-fr.txt"
_DECORATION = re.compile(r"^[^a-z]+|[^a-z]+$")


class CommonPasswordsValidator(CommonPasswordValidator):
    """Django's deny-list plus common French passwords, also when padded with digits/symbols.

    "motdepasse123" and "Azertyuiop!!" are as weak as the words they decorate.
    """

    def __init__(self):
        super().__init__()
        words = FRENCH_LIST.read_text(encoding="utf-8").split()
        self.passwords = self.passwords | {word.strip().lower() for word in words}

    def validate(self, password, user=None):
        candidate = fold(password).lower().strip()
        base = _DECORATION.sub("", candidate).replace(" ", "")
        if candidate in self.passwords or base in self.passwords:
            raise ValidationError(self.get_error_message(), code="password_too_common")


_WORD = re.compile(r"[a-z]+")
# Words every guesser tries first on this portal, whatever the firm's configured names.
PORTAL_WORDS = {"demo", "test", "connect", "portail", "garage", "carrosserie", "reparateur"}


def _letters(text: str) -> str:
    return fold(text).lower()


class PortalWordsValidator:
    """Refuses a password made of the firm's, the portal's or the user's garages' names, or a
    plain digit run: "Garage Martin & Fils", "Demo-2026-connect", "123456789012".

    The names' words (3+ letters) are taken out of the password's letters; when any was there,
    what remains must still hold `min_letters` letters. Digits-only passwords that count up,
    down or repeat a short pattern are refused as well.
    """

    def __init__(self, min_letters: int = 6):
        self.min_letters = min_letters

    def names(self, user) -> list[str]:
        from django.conf import settings

        names = [settings.FIRM_NAME, settings.FIRM_SHORT_NAME, settings.PORTAL_NAME]
        if user is not None and getattr(user, "pk", None):
            names += list(user.garages.values_list("name", flat=True))
        return names

    def validate(self, password, user=None):
        if _digit_run(password):
            raise ValidationError(
                "Ce mot de passe est une suite de chiffres trop simple.", code="password_digit_run"
            )
        words = set(PORTAL_WORDS)
        for name in self.names(user):
            words |= {word for word in _WORD.findall(_letters(name)) if len(word) >= 3}
        letters = remaining = "".join(_WORD.findall(_letters(password)))
        for word in sorted(words, key=len, reverse=True):
            remaining = remaining.replace(word, "").replace(word.rstrip("s"), "")
        if remaining != letters and len(remaining) < self.min_letters:
            raise ValidationError(
                "Ce mot de passe reprend surtout le nom du portail, du cabinet ou de votre garage.",
                code="password_portal_words",
            )

    def get_help_text(self):
        return (
            "Votre mot de passe ne doit pas reprendre le nom du portail, du cabinet ou du garage."
        )


def _digit_run(password: str) -> bool:
    if not password.isdigit():
        return False
    steps = {(int(b) - int(a)) % 10 for a, b in zip(password, password[1:], strict=False)}
    if len(steps) == 1:  # 123456…, 987654…, 111111…
        return True
    return any(password == (password[:size] * len(password))[: len(password)] for size in (2, 3, 4))
