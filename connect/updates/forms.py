from django import forms

from connect.lib.text import PlainTextField
from connect.updates.models import ServiceUpdate


class ServiceUpdateForm(forms.ModelForm):
    class Meta:
        model = ServiceUpdate
        fields = ["version", "published_on", "title", "body", "audience", "is_published"]
        field_classes = {"version": PlainTextField, "title": PlainTextField, "body": PlainTextField}
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        error_messages = {
            "version": {"unique": "Cette version existe déjà."},
        }
