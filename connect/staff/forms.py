from django import forms

from connect.accounts.models import WEEKDAYS, Role, User
from connect.documents.models import DocumentType


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=24,
        help_text="Les 6 chiffres affichés par votre application, ou un code de secours.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class RepairerAccountForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail", max_length=254)
    full_name = forms.CharField(label="Nom complet", max_length=150)
    phone = forms.CharField(label="Téléphone", max_length=30, required=False)

    def __init__(self, *args, garage, **kwargs):
        super().__init__(*args, **kwargs)
        self.garage = garage

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        existing = User.objects.filter(email=email).first()
        if existing is not None and not existing.is_repairer:
            raise forms.ValidationError("Cette adresse appartient à un compte du cabinet.")
        if existing is not None and existing.memberships.filter(garage=self.garage).exists():
            raise forms.ValidationError("Ce compte appartient déjà à ce garage.")
        return email


class GarageForm(forms.Form):
    visit_days = forms.TypedMultipleChoiceField(
        label="Jours de passage",
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expert = forms.ModelChoiceField(
        label="Expert attitré", queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, garage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = User.objects.filter(
            role=Role.EXPERT, unit_id=garage.unit_id, is_active=True
        ).order_by("full_name")


class PublishDocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label="Type de document", choices=DocumentType.choices)
    title = forms.CharField(label="Titre (facultatif)", max_length=200, required=False)
    file = forms.FileField(label="Fichier")
    replaces = forms.ModelChoiceField(
        label="Annule et remplace",
        queryset=None,
        required=False,
        empty_label="— aucun —",
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = documents
