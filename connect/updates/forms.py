from django import forms

from connect.updates.models import ServiceUpdate


class ServiceUpdateForm(forms.ModelForm):
    class Meta:
        model = ServiceUpdate
        fields = ["version", "published_on", "title", "body", "audience", "is_published"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 12}),
        }
        error_messages = {
            "version": {"unique": "Cette version existe déjà."},
        }
