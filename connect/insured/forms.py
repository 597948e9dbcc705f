from django import forms

from connect.accounts.forms import LoginEmailField
from connect.lib.text import PlainTextField


class InsuredEmailForm(forms.Form):
    """The one field of the sign-up and login-link requests."""

    email = LoginEmailField(
        label="Votre adresse e-mail",
        help_text="Celle que vous avez donnée à votre assureur pour ce sinistre.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class QuestionForm(forms.Form):
    text = PlainTextField(
        label="Votre question",
        help_text="Votre conseiller vous répond ici, en général sous deux jours ouvrés.",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswerForm(forms.Form):
    text = PlainTextField(
        label="Réponse à l'assuré",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
