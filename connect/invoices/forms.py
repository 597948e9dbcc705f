from decimal import Decimal

from django import forms
from django.utils import timezone

from connect.invoices.models import InvoiceState
from connect.lib.text import PlainTextField


def money(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=required, max_digits=12, decimal_places=2, min_value=Decimal("0")
    )


class ValidateForm(forms.Form):
    amount_excl_vat = money("Montant HT (€)", required=False)
    amount_incl_vat = money("Montant TTC (€)", required=False)


class RejectForm(forms.Form):
    reason = PlainTextField(
        label="Motif du refus",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Le garage le lit sur le dossier pour envoyer une facture corrigée.",
    )


class PayForm(forms.Form):
    paid_on = forms.DateField(
        label="Date du paiement", widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = money("Montant payé (€)")
    reference = PlainTextField(label="Référence du paiement", max_length=100)

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError("La date du paiement ne peut pas être dans le futur.")
        return paid_on


STATE_FILTERS = [("", "Tous les états"), *InvoiceState.choices]


class InvoiceFilterForm(forms.Form):
    etat = forms.ChoiceField(label="État", choices=STATE_FILTERS, required=False)
