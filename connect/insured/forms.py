from django import forms

from connect.accounts.forms import LoginEmailField


class InsuredEmailForm(forms.Form):
    """The one field of the sign-up and login-link requests."""

    email = LoginEmailField(
        label="Votre adresse e-mail",
        help_text="Celle que vous avez donnée à votre assureur pour ce sinistre.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
