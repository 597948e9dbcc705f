from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from connect.documents.validation import RejectedFile, check_upload
from connect.lib.http import int_or_none
from connect.lib.money import AmountError, MoneyField, parse_amount
from connect.lib.text import PlainTextField
from connect.tariffs.models import FLAT_PRICE, RATE_FIELDS, RateCard, TaxBasis

INVALID_NUMBER = "Saisissez un nombre, par exemple 62,50."


class FrenchDecimalField(forms.DecimalField):
    """Accepts 62,50 as well as 62.50, thousands spaces and a trailing € or %."""

    default_error_messages = {"invalid": INVALID_NUMBER}

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value):
        # The portal's one reader of amounts (a rate is euros or a percentage).
        if isinstance(value, str) and value.strip():
            try:
                return parse_amount(value.strip().removesuffix("%"))
            except AmountError as error:
                message = INVALID_NUMBER if error.code == "invalid" else str(error)
                raise forms.ValidationError(message, code="invalid") from None
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="decimal", autocomplete="off")
        return attrs


class RateCardForm(forms.ModelForm):
    tax_basis = forms.ChoiceField(
        label="Prix affichés",
        choices=TaxBasis.choices,  # no blank choice: HT or TTC, said explicitly
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si vos prix sont HT ou TTC."},
    )
    board_upload = forms.FileField(
        label="Photo ou PDF de votre panneau d'affichage des prix",
        help_text=(
            f"PDF, JPEG, PNG, WebP ou HEIC, {filesizeformat(settings.MAX_UPLOAD_FILE_BYTES)} "
            "au plus."
        ),
        widget=forms.FileInput(attrs={"accept": "application/pdf,image/*"}),
        error_messages={"required": "Joignez une photo ou un PDF de votre panneau des prix."},
    )

    class Meta:
        model = RateCard
        fields = ["effective_on", "tax_basis", *RATE_FIELDS]
        field_classes = dict.fromkeys(RATE_FIELDS, FrenchDecimalField)
        widgets = {
            "effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "effective_on": {"invalid": "Saisissez une date valide, par exemple 01/03/2025."},
            **{name: {"required": "Ce montant est obligatoire."} for name in RATE_FIELDS},
        }

    def clean_effective_on(self):
        effective_on = self.cleaned_data["effective_on"]
        today = timezone.localdate()
        if effective_on.year < 2000 or (effective_on - today).days > 366:
            raise forms.ValidationError(
                "La date d'effet doit être comprise entre 2000 et dans un an au plus."
            )
        return effective_on

    def clean_board_upload(self):
        upload = self.cleaned_data["board_upload"]
        try:
            self.checked_board = check_upload(upload, name=upload.name)
        except RejectedFile as error:
            raise forms.ValidationError(error.messages) from None
        return upload


class FlatRateForm(forms.Form):
    label = PlainTextField(label="Libellé du forfait", max_length=120, required=False)
    price = MoneyField(
        label="Prix", max_digits=8, required=False, min_value=None, validators=FLAT_PRICE
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        label, price = (data.get("label") or "").strip(), data.get("price")
        if self.errors:
            return data
        if bool(label) != (price is not None):
            raise forms.ValidationError("Indiquez le libellé et le prix de chaque forfait.")
        data["label"] = label
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("label"))


MAX_FLAT_RATES = 50
FlatRateFormSet = forms.formset_factory(
    FlatRateForm, extra=0, max_num=MAX_FLAT_RATES, validate_max=True, absolute_max=MAX_FLAT_RATES
)
MORE_ROWS = 3


def flat_rate_formset(data=None, *, initial=None, add_rows: bool = False):
    """Blank rows after the current ones; "Ajouter des forfaits" adds more without JS."""
    initial = initial or []
    if data is not None:
        data = data.copy()
        total = int_or_none(data.get("forfaits-TOTAL_FORMS")) or 0
        if add_rows:
            data["forfaits-TOTAL_FORMS"] = str(min(total + MORE_ROWS, MAX_FLAT_RATES))
        return FlatRateFormSet(data, prefix="forfaits")
    formset = FlatRateFormSet(initial=initial, prefix="forfaits")
    formset.extra = MORE_ROWS
    return formset


def flat_rates_of(formset) -> list[tuple[str, Decimal]]:
    return [(f.cleaned_data["label"], f.cleaned_data["price"]) for f in formset if f.is_filled]
