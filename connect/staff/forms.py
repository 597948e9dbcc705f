from datetime import date, datetime
from typing import cast

from django import forms
from django.utils import formats, timezone

from connect.accounts.models import WEEKDAYS, Role, User
from connect.documents.models import DocumentType
from connect.lib.text import PlainTextField
from connect.messaging.forms import MessageForm
from connect.messaging.services import visit_dates
from connect.messaging.subjects import FIRM_REPLY
from connect.staff.services import EsdOutcome


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
    full_name = PlainTextField(label="Nom complet", max_length=150)
    phone = PlainTextField(label="Téléphone", max_length=30, required=False)

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
        # self.fields holds copies of the fields declared above, so their types are known.
        cast(forms.ModelChoiceField, self.fields["expert"]).queryset = User.objects.filter(
            role=Role.EXPERT, unit_id=garage.unit_id, is_active=True
        ).order_by("full_name")


class PublishDocumentForm(forms.Form):
    # No default type: the first of the catalogue ("Ordre de mission") would label a forgotten
    # select's file wrongly for the garage.
    doc_type = forms.ChoiceField(
        label="Type de document",
        choices=[("", "Choisir le type"), *DocumentType.choices],
        error_messages={"required": "Choisissez le type du document."},
    )
    title = PlainTextField(label="Titre (facultatif)", max_length=200, required=False)
    file = forms.FileField(label="Fichier")
    replaces: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Annule et remplace",
        queryset=None,
        required=False,
        empty_label="— aucun —",
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["replaces"]).queryset = documents


def reply_form(*args, dossier):
    return MessageForm(*args, subject=FIRM_REPLY, dossier=dossier)


class ConfirmExamForm(forms.Form):
    day = forms.ChoiceField(label="Jour de passage")
    time = forms.TimeField(
        label="Heure", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def __init__(self, *args, exam, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        days = visit_dates(exam.dossier.garage, today=today)
        if exam.requested_date not in days and exam.requested_date >= timezone.localdate():
            days = sorted([exam.requested_date, *days])
        cast(forms.ChoiceField, self.fields["day"]).choices = [
            (d.isoformat(), formats.date_format(d, "l j F Y")) for d in days
        ]
        self.initial.setdefault("day", exam.requested_date.isoformat())
        self.initial.setdefault("time", "09:00")

    @property
    def appointment_at(self) -> datetime:
        day = date.fromisoformat(self.cleaned_data["day"])
        return timezone.make_aware(datetime.combine(day, self.cleaned_data["time"]))


class DeclineExamForm(forms.Form):
    reason = PlainTextField(
        label="Motif du refus",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez le motif du refus."},
    )


class EsdOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Résultat", choices=EsdOutcome.choices, widget=forms.RadioSelect
    )
    comment = PlainTextField(
        label="Commentaire (facultatif)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
