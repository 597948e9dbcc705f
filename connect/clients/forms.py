"""The account manager's forms: a client, and one of its users."""

import re

from django import forms

from connect.accounts.models import User, normalize_email
from connect.clients.models import Client, ClientKind
from connect.lib.text import PlainTextField

EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class ClientForm(forms.Form):
    name = PlainTextField(label="Nom du client", max_length=200)
    kind = forms.ChoiceField(label="Type", choices=ClientKind.choices)
    external_id = PlainTextField(
        label="Identifiant externe",
        max_length=64,
        help_text="L'identifiant du client dans le système de gestion (lettres, chiffres, . _ -).",
    )

    def clean_external_id(self):
        value = self.cleaned_data["external_id"].strip()
        if not EXTERNAL_ID.fullmatch(value):
            raise forms.ValidationError("Lettres, chiffres, point, tiret et souligné seulement.")
        if Client.objects.filter(external_id=value).exists():
            raise forms.ValidationError("Un client porte déjà cet identifiant.")
        return value


class ClientUserForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail", max_length=254)
    full_name = PlainTextField(label="Nom complet", max_length=150)
    region = PlainTextField(
        label="Région ou agence (facultatif)",
        max_length=100,
        required=False,
        help_text="Limite l'utilisateur aux dossiers qui portent ce libellé ; vide : tout le "
        "portefeuille.",
    )

    def clean_email(self):
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError("Cette adresse appartient déjà à un compte du portail.")
        return email


class RegionForm(forms.Form):
    region = PlainTextField(label="Région ou agence", max_length=100, required=False)
