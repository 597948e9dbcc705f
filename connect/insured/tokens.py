"""The insured's single-use links, each with its own salt (one never opens the other's door).

Both derive from Django's reset token, which hashes the password and the last login: choosing
the password ends the sign-up link, logging in ends the login link.
"""

from connect.accounts.tokens import TimeBoundTokenGenerator


class SignupTokenGenerator(TimeBoundTokenGenerator):
    key_salt = "connect.insured.tokens.signup"
    max_age_setting = "INSURED_SIGNUP_LINK_MAX_AGE"


class LoginLinkTokenGenerator(TimeBoundTokenGenerator):
    key_salt = "connect.insured.tokens.login_link"
    max_age_setting = "INSURED_LOGIN_LINK_MAX_AGE"


signup_token = SignupTokenGenerator()
login_link_token = LoginLinkTokenGenerator()
