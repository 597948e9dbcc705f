import base64
import binascii

from django import forms

from connect.push.hosts import endpoint_allowed
from connect.push.models import PushKind


class PushPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label="Me prévenir sur mes appareils pour",
        choices=PushKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _key(text: object, size: int, label: str) -> str:
    """A base64url key of `size` bytes, as the browser's PushSubscription.toJSON() gives it."""
    if not isinstance(text, str) or len(text) > 200:
        raise forms.ValidationError(f"{label} manquante.")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise forms.ValidationError(f"{label} illisible.") from None
    if len(raw) != size:
        raise forms.ValidationError(f"{label} de taille inattendue.")
    return text


def parse_subscription(data: object) -> dict:
    """The JSON a browser posts; raises ValidationError with a French message."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise forms.ValidationError("Abonnement illisible.")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > 1000 or not endpoint_allowed(endpoint):
        raise forms.ValidationError("Ce service de notification n'est pas accepté.")
    keys = data["keys"]
    p256dh = _key(keys.get("p256dh"), 65, "Clé du navigateur")
    return {
        "endpoint": endpoint,
        "p256dh": p256dh,
        "auth": _key(keys.get("auth"), 16, "Clé secrète"),
    }
