from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.urls import reverse

from connect.accounts.access_codes import login_name
from connect.accounts.lockout import client_address
from connect.accounts.models import normalize_email
from connect.lib.throttle import Rate, Throttled, consume
from connect.mail import queue_email


class LoginEmailField(forms.EmailField):
    """An e-mail login, normalised (NFKC, case) before it is validated: "ｒeparateur@…" works."""

    def to_python(self, value):
        return normalize_email(super().to_python(value))


class LoginForm(AuthenticationForm):
    # An e-mail, or a client's access code (issue 27): a text field, so that the browser takes
    # both; `access_codes.login_name` tells them apart.
    username = forms.CharField(
        label="Identifiant",
        help_text="Votre adresse e-mail, ou le code d'accès fourni par votre gestionnaire de "
        "compte",
        max_length=254,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "username",
                "autofocus": True,
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        # The same answer for an unknown e-mail, a wrong password and a disabled account.
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Identifiant ou mot de passe incorrect.",
    }

    def clean_username(self):
        return login_name(self.cleaned_data["username"])


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes through the task queue."""

    email = LoginEmailField(
        label="Adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        return super().get_users(normalize_email(email))

    def save(self, *args, **kwargs):
        # Past either limit the answer stays the same and no e-mail leaves: a flood of
        # requests neither fills a mailbox nor tells whether the account exists.
        request = kwargs.get("request")  # PasswordResetView passes every option by name
        email = normalize_email(self.cleaned_data["email"])
        try:
            consume(
                ("resets-account", email, Rate(settings.RESETS_PER_ACCOUNT_PER_HOUR, 3600)),
                ("resets-ip", client_address(request), Rate(settings.RESETS_PER_IP_PER_HOUR, 3600)),
            )
        except Throttled:
            return
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        queue_email(
            [to_email], "accounts/email/password_reset", {"link": settings.PORTAL_URL + path}
        )


class ChoosePasswordForm(SetPasswordForm):
    new_password1 = forms.CharField(
        label="Nouveau mot de passe",
        strip=False,
        help_text="Au moins 12 caractères. Une phrase de passe facile à retenir convient.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Confirmez le mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
