"""Amounts typed the French way are read one way everywhere (connect/lib/money.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from connect.lib.money import AmountError, MoneyField, format_euros, parse_amount


@pytest.mark.parametrize(
    "text",
    [
        "11 008,76",
        "11008,76",
        "11008.76",
        "11 008,76 €",
        "11\u00a0008,76\u00a0€",
        "11\u202f008,76",
        "€ 11 008,76",
        " 11 008,76€ ",
    ],
)
def test_french_and_plain_writings_read_the_same_amount(text):
    assert parse_amount(text) == Decimal("11008.76")


@pytest.mark.parametrize(
    ("text", "amount"),
    [("0", "0"), ("12", "12"), ("12,5", "12.50"), ("1 000 000", "1000000"), ("0,01", "0.01")],
)
def test_whole_euros_and_single_cents_digits(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.234", "« 1.234 » est ambigu : écrivez 1 234 pour des milliers, ou 1,23"),
        ("1,234", "Deux décimales au plus"),
        ("1.234,50", "Un seul séparateur pour les centimes"),
        ("1,234.50", "Un seul séparateur pour les centimes"),
        ("12.345", "ambigu"),
        ("1234,567", "Deux décimales au plus"),
        ("1 23,50", "Saisissez un montant en euros, par exemple 1 234,50."),
        ("abc", "Saisissez un montant en euros"),
        ("12 €50", "Saisissez un montant en euros"),
        ("1e5", "Saisissez un montant en euros"),
        ("€", "Saisissez un montant en euros"),
    ],
)
def test_ambiguous_or_garbage_text_is_refused_with_a_french_message(text, message):
    with pytest.raises(AmountError, match=message):
        parse_amount(text)


def test_the_field_is_a_text_input_with_the_decimal_keypad_and_shows_french_amounts():
    field = MoneyField(label="Montant")
    html = field.widget.render(
        "amount", field.prepare_value(Decimal("11008.76")), attrs=field.widget_attrs(field.widget)
    )
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'value="11\u00a0008,76"' in html
    assert field.clean("11\u00a0008,76") == Decimal("11008.76")
    with pytest.raises(ValidationError, match="Le montant ne peut pas être négatif."):
        field.clean("-10")
    with pytest.raises(ValidationError, match="supérieur à 0,00"):
        MoneyField(min_value=Decimal("0.01")).clean("0,00")
    assert format_euros(Decimal("-1234.5")) == "-1\u00a0234,50\u00a0€"


def test_every_money_field_of_the_invoices_and_supplements_is_the_one_money_field():
    from django import forms

    from connect.invoices.forms import PayForm, ValidateForm
    from connect.supplements.forms import DecisionForm, add_composer_fields

    composer = forms.Form()
    add_composer_fields(composer)
    fields = {
        "validate": ValidateForm().fields,
        "pay": PayForm().fields,
        "decision": DecisionForm(supplement=None).fields,
        "composer": composer.fields,
    }
    decimals = [
        (form, name)
        for form, found in fields.items()
        for name, field in found.items()
        if isinstance(field, forms.DecimalField)
    ]
    named = {
        ("validate", "amount_excl_vat"),
        ("validate", "amount_incl_vat"),
        ("pay", "amount"),
        ("decision", "accepted_amount"),
        ("composer", "supplement_amount"),
    }
    assert named <= set(decimals)
    assert {name for form, name in set(decimals) - named} == {
        name for name in composer.fields if name.startswith("supplement_line_amount_")
    }  # the lines table's amounts, one per row
    assert all(isinstance(fields[form][name], MoneyField) for form, name in decimals)
    # A supplement's lines read their amounts the same way: "€ 1 250,00" was refused.
    assert composer.fields["supplement_lines"].clean("Aile ; € 1 250,00")[0].amount == 1250
