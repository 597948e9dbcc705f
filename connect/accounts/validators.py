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
