"""The supplement's fields in messaging's composer (amount, optional lines) and the expert's
decision. Amounts are typed the French way ("1 234,50 €") and stored as Decimal euros."""

import uuid
from decimal import Decimal

from django import forms

from connect.lib.money import MoneyField
from connect.lib.text import PlainTextField
from connect.supplements.models import Outcome, Supplement
from connect.supplements.services import Line, SupplementDraft

CENT = Decimal("0.01")
MAX_LINES = 50


class AmountField(MoneyField):
    """The portal's money field (French input), more than zero."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", CENT)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = "Le montant doit être positif."


class LinesField(PlainTextField):
    """One line per item, "libellé ; montant"; the lines are optional."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        text = super().clean(value)
        lines = []
        for number, row in enumerate((r for r in text.splitlines() if r.strip()), start=1):
            label, separator, amount = row.rpartition(";")
            try:
                parsed = AmountField().clean(amount.strip()) if separator else None
            except forms.ValidationError as error:
                raise forms.ValidationError(f"Ligne {number} : {error.messages[0]}") from None
            if not label.strip() or parsed is None:
                raise forms.ValidationError(
                    f"Ligne {number} : écrivez « libellé ; montant », par exemple "
                    "« Aile avant droite ; 320,00 »."
                )
            lines.append(Line(label=label.strip()[:200], amount=parsed))
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(f"{MAX_LINES} lignes au plus.")
        return tuple(lines)


def add_composer_fields(form: forms.Form) -> None:
    """The "Evolution méthodologie" composer asks for the supplement (validated server side)."""
    form.fields["supplement_amount"] = AmountField(
        label="Montant du supplément HT (€)",
        widget=forms.TextInput(),
        error_messages={"required": "Indiquez le montant HT du supplément."},
    )
    form.fields["supplement_lines"] = LinesField(
        label="Détail (facultatif) : une ligne par poste, « libellé ; montant HT »",
        required=False,
        max_length=10_000,
    )


def composer_draft(form: forms.Form) -> SupplementDraft | None:
    """The draft from a composer form's cleaned data, or None (adds the error) when the lines
    do not add up to the amount."""
    amount = form.cleaned_data.get("supplement_amount")
    lines = form.cleaned_data.get("supplement_lines") or ()
    if amount is None:
        return None
    if lines and sum(line.amount for line in lines) != amount:
        total = sum(line.amount for line in lines)
        form.add_error(
            "supplement_lines",
            f"Les lignes totalisent {_euros(total)} € HT, le montant demandé est "
            f"{_euros(amount)} € HT : corrigez l'un ou l'autre.",
        )
        return None
    return SupplementDraft(amount=amount, lines=tuple(lines))


class DecisionForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(
        label="Décision",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une décision."},
    )
    accepted_amount = AmountField(
        label="Montant HT accordé (accord partiel)", required=False, widget=forms.TextInput()
    )
    reason = PlainTextField(
        label="Motif", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, supplement: Supplement, **kwargs):
        super().__init__(*args, **kwargs)
        self.supplement = supplement
        self.initial.setdefault("token", uuid.uuid4())

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        outcome = cleaned.get("outcome")
        amount = cleaned.get("accepted_amount")
        if outcome == Outcome.PARTLY:
            if amount is None and "accepted_amount" not in self.errors:
                self.add_error("accepted_amount", "Indiquez le montant HT accordé.")
            elif amount is not None and amount > self.supplement.amount:
                self.add_error(
                    "accepted_amount",
                    f"Le montant accordé ne peut dépasser le montant demandé "
                    f"({_euros(self.supplement.amount)} € HT).",
                )
        if outcome == Outcome.REFUSED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du refus.")
        return cleaned


def _euros(amount: Decimal) -> str:
    whole, _, cents = f"{amount:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{groups},{cents}"
