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


SCORES = [(str(n), str(n)) for n in range(11)]


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label="Recommanderiez-vous ce garage et notre cabinet à un proche ? (0 : pas du tout, "
        "10 : tout à fait)",
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = PlainTextField(
        label="Un commentaire (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
