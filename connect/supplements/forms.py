"""The supplement's fields in messaging's composer (amount, optional lines) and the expert's
decision. Amounts are typed the French way ("1 234,50 €") and stored as Decimal euros."""

import uuid
from decimal import Decimal

from django import forms

from connect.dossiers.models import Dossier
from connect.lib.money import MoneyField
from connect.lib.text import PlainTextField
from connect.supplements.amounts import euros
from connect.supplements.models import Outcome, Supplement
from connect.supplements.queries import ceiling_of
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


TABLE_ROWS = 4  # rows offered at first; the page's "Ajouter une ligne" adds more (up to MAX_LINES)


def add_composer_fields(form: forms.Form) -> None:
    """The "Evolution méthodologie" composer asks for the supplement (validated server side):
    its amount, and its lines as a table (a label and an amount per row). Without an amount,
    the supplement is the lines' total."""
    form.fields["supplement_amount"] = AmountField(
        label="Montant du supplément HT (€)",
        widget=forms.TextInput(),
        required=False,
        help_text="Facultatif si vous détaillez les postes ci-dessous : leur total fait foi.",
    )
    # Not shown any more (the table is): kept for messages queued on a phone before the table.
    form.fields["supplement_lines"] = LinesField(label="Détail", required=False, max_length=10_000)
    # The lines' total, shown under the table once composer_draft has added them up.
    form.lines_total = None  # type: ignore[attr-defined]
    posted = [key for key in form.data if key.startswith("supplement_line_label_")]
    indexes = [int(key.rpartition("_")[2]) for key in posted if key.rpartition("_")[2].isdigit()]
    count = min(max([TABLE_ROWS, *(index + 1 for index in indexes)]), MAX_LINES)
    for row in range(count):
        form.fields[f"supplement_line_label_{row}"] = PlainTextField(
            label=f"Poste {row + 1}",
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"aria-label": f"Poste {row + 1}"}),
        )
        form.fields[f"supplement_line_amount_{row}"] = AmountField(
            label=f"Montant HT du poste {row + 1}",
            required=False,
            widget=forms.TextInput(attrs={"aria-label": f"Montant HT du poste {row + 1} (€)"}),
        )


def line_rows(form: forms.Form) -> list[tuple]:
    """The table's rows as bound fields (label, amount), for the template."""
    count = sum(1 for name in form.fields if name.startswith("supplement_line_label_"))
    return [
        (form[f"supplement_line_label_{row}"], form[f"supplement_line_amount_{row}"])
        for row in range(count)
    ]


def _table_lines(form: forms.Form) -> tuple[Line, ...] | None:
    """The table's filled rows, or None (adds the error) when a row lacks its label or its
    amount; a row refused by its own field already holds an error."""
    lines = []
    for number, (label_field, amount_field) in enumerate(line_rows(form), start=1):
        label = (form.cleaned_data.get(label_field.name) or "").strip()
        amount = form.cleaned_data.get(amount_field.name)
        if amount_field.name in form.errors:
            message = form.errors[amount_field.name][0]
            form.add_error("supplement_lines", f"Ligne {number} : {message}")
            return None
        if not label and amount is None:
            continue
        if not label or amount is None:
            form.add_error(
                "supplement_lines", f"Ligne {number} : indiquez le libellé et le montant HT."
            )
            return None
        lines.append(Line(label=label[:200], amount=amount))
    return tuple(lines)


def composer_draft(form: forms.Form, *, dossier: Dossier) -> SupplementDraft | None:
    """The draft from a composer form's cleaned data, or None (adds the error) when the amount
    passes the dossier's ceiling or the lines do not add up to it."""
    amount = form.cleaned_data.get("supplement_amount")
    table = _table_lines(form)
    if table is None:
        return None
    lines = table or form.cleaned_data.get("supplement_lines") or ()
    total = sum((line.amount for line in lines), Decimal("0"))
    form.lines_total = total if lines else None  # type: ignore[attr-defined]
    if amount is None and "supplement_amount" not in form.errors:
        if not lines:
            form.add_error("supplement_amount", "Indiquez le montant HT du supplément.")
            return None
        amount = total
    if amount is None:
        return None
    ceiling = ceiling_of(dossier)
    if amount > ceiling.amount:
        form.add_error(
            "supplement_amount",
            f"Un supplément de {euros(amount)} € HT dépasse le plafond de ce dossier "
            f"({euros(ceiling.amount)} € HT, {ceiling.source}) : vérifiez le montant. S'il "
            "est exact, demandez à l'expert de relever le plafond des suppléments de ce dossier.",
        )
        return None
    if lines and total != amount:
        form.add_error(
            "supplement_lines",
            f"Les lignes totalisent {euros(total)} € HT, le montant demandé est "
            f"{euros(amount)} € HT : corrigez l'un ou l'autre.",
        )
        return None
    return SupplementDraft(amount=amount, lines=tuple(lines))


class CeilingForm(forms.Form):
    up_to = AmountField(
        label="Autoriser sur ce dossier des suppléments jusqu'à (€ HT)",
        widget=forms.TextInput(),
        error_messages={"required": "Indiquez le plafond HT des suppléments."},
    )


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
                    f"({euros(self.supplement.amount)} € HT).",
                )
        if outcome in (Outcome.ACCEPTED, Outcome.REFUSED) and amount is not None:
            self._refuse_a_contradicting_amount(outcome, amount)
        if outcome == Outcome.REFUSED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Indiquez le motif du refus.")
        return cleaned

    def _refuse_a_contradicting_amount(self, outcome: str, amount: Decimal) -> None:
        # "Accepté" with "5" typed would grant the whole amount: the expert says which is meant.
        if outcome == Outcome.ACCEPTED and amount != self.supplement.amount:
            self.add_error(
                "accepted_amount",
                f"Vous avez choisi « Accepté » : tout le montant demandé "
                f"({euros(self.supplement.amount)} € HT) est accordé. Pour n'en accorder que "
                f"{euros(amount)} € HT, choisissez « Accepté en partie » ; sinon videz ce champ.",
            )
        elif outcome == Outcome.REFUSED:
            self.add_error(
                "accepted_amount",
                f"Vous avez choisi « Refusé » : rien n'est accordé. Pour accorder "
                f"{euros(amount)} € HT, choisissez « Accepté en partie » ; sinon videz ce champ.",
            )
