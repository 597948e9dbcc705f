"""Single-use links: password reset (short-lived) and invitation (a week).

Both derive from Django's reset token, which dies once the password changes;
each has its own salt, so one kind of link never opens the other's door.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int


class TimeBoundTokenGenerator(PasswordResetTokenGenerator):
    max_age_setting = "RESET_LINK_MAX_AGE"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        try:
            issued = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        age = self._num_seconds(self._now()) - issued
        return age <= getattr(settings, self.max_age_setting)


class ResetTokenGenerator(TimeBoundTokenGenerator):
    key_salt = "connect.accounts.tokens.reset"


class InvitationTokenGenerator(TimeBoundTokenGenerator):
    key_salt = "connect.accounts.tokens.invitation"
    max_age_setting = "INVITATION_LINK_MAX_AGE"


reset_token = ResetTokenGenerator()
invitation_token = InvitationTokenGenerator()
