from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from connect.invoices.models import InvoiceState
from connect.lib.money import MoneyField, format_euros
from connect.lib.text import PlainTextField

# An invoice more than this share away from the agreed total is checked twice before it is
# validated: a typing slip (a comma read as nothing: ×100) is never recorded unseen.
FAR_FROM_AGREED = Decimal("0.10")
# The agreed total is excl. VAT; a TTC amount alone is compared at the standard French rate.
STANDARD_VAT = Decimal("1.20")


class ValidateForm(forms.Form):
    amount_excl_vat = MoneyField(label="Montant HT (€)", required=False)
    amount_incl_vat = MoneyField(label="Montant TTC (€)", required=False)
    confirm_amount = forms.BooleanField(label="Je confirme ce montant", required=False)

    def __init__(self, *args: Any, agreed: Decimal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agreed = agreed  # the dossier's agreed total excl. VAT, None when unknown
        self.needs_confirmation = False  # shows the checkbox (with the difference)

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        gap = self._gap_from_agreed(data.get("amount_excl_vat"), data.get("amount_incl_vat"))
        if gap is not None and not data.get("confirm_amount"):
            self.needs_confirmation = True
            raise forms.ValidationError(gap)
        return data

    def _gap_from_agreed(self, excl_vat: Decimal | None, incl_vat: Decimal | None) -> str | None:
        if not self.agreed or (excl_vat is None and incl_vat is None):
            return None
        if excl_vat is not None:
            amount, expected, basis = excl_vat, self.agreed, "HT"
        elif incl_vat is not None:
            amount, expected, basis = incl_vat, self.agreed * STANDARD_VAT, "TTC (TVA à 20 %)"
        difference = amount - expected
        if abs(difference) <= expected * FAR_FROM_AGREED:
            return None
        sign = "+" if difference > 0 else "−"
        return (
            f"Ce montant s'écarte de {sign}{format_euros(abs(difference))} du montant convenu "
            f"({format_euros(expected)} {basis}) : vérifiez-le, puis cochez « Je confirme ce "
            "montant » pour le valider tel quel."
        )


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
    # A payment of nothing is no payment: it would close the invoice for good.
    amount = MoneyField(label="Montant payé (€)", min_value=Decimal("0.01"))
    reference = PlainTextField(label="Référence du paiement", max_length=100)

    def clean_paid_on(self) -> date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError("La date du paiement ne peut pas être dans le futur.")
        return paid_on


STATE_FILTERS = [("", "Tous les états"), *InvoiceState.choices]


class InvoiceFilterForm(forms.Form):
    etat = forms.ChoiceField(label="État", choices=STATE_FILTERS, required=False)
