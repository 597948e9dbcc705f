"""The expert's request (up to ROWS items: a catalogue type, a free label, or both), the
garage's answer to one item (files and/or a note) and the expert's new ask (a reason)."""

import uuid

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from connect.checklists.models import RequestItem
from connect.checklists.services import ItemSpec
from connect.documents import quality
from connect.documents.models import PHOTO_TYPES, DocumentType
from connect.documents.validation import RejectedFile, check_upload, display_name
from connect.lib.text import PlainTextField
from connect.uploads.services import Taken

ROWS = 6
SHOWN_ROWS = 2
MAX_FILES = 10
ACCEPTED = ("application/pdf", *PHOTO_TYPES)


class RequestForm(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("token", uuid.uuid4())
        choices = [("", "Élément libre (sans type)"), *DocumentType.choices]
        for row in range(ROWS):
            # The row's legend says "Élément N": its fields need no number of their own.
            self.fields[f"label_{row}"] = PlainTextField(
                label="Libellé",
                required=False,
                max_length=200,
                help_text="Par exemple « Photo ¾ avant droit »." if row == 0 else "",
            )
            self.fields[f"type_{row}"] = forms.ChoiceField(
                label="Type", required=False, choices=choices
            )

    @property
    def rows(self):
        return [(self[f"label_{row}"], self[f"type_{row}"]) for row in range(ROWS)]

    @property
    def shown_rows(self):
        return self.rows[:SHOWN_ROWS]

    @property
    def folded_rows(self):
        """The rows past the first few, folded (a <details>, so it opens without JS); open
        when one of them holds a value."""
        return self.rows[SHOWN_ROWS:]

    @property
    def folded_in_use(self) -> bool:
        return any(label.value() or kind.value() for label, kind in self.folded_rows)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        items = []
        for row in range(ROWS):
            label = (cleaned.get(f"label_{row}") or "").strip()
            doc_type = cleaned.get(f"type_{row}") or ""
            if label or doc_type:
                items.append(
                    ItemSpec(label=label or DocumentType(doc_type).label, doc_type=doc_type)
                )
        if not items and not self.errors:
            raise forms.ValidationError(
                "Indiquez au moins un élément à demander : un type du catalogue ou un libellé."
            )
        self.items = items
        return cleaned


class AnswerForm(forms.Form):
    """`files` come from request.FILES.getlist("files") (a plain multiple file input), then the
    completed uploads the post names (`taken`: the phone's queue sends files in resumable
    chunks first). An item typed "Photo" takes photos only, checked as the guided capture's
    (documents/quality.py)."""

    note = PlainTextField(
        label="Note", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The answer's key: its uploads are spent under it, so a queue's resend is a replay.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, item: RequestItem, taken: Taken | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("token", uuid.uuid4())
        self.taken = taken or Taken()
        self.photos_only = item.doc_type == DocumentType.PHOTO

    @property
    def uploads(self):
        return (self.files.getlist("files") if self.files else []) + self.taken.files

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        for error in self.taken.errors:
            self.add_error(None, error)
        if self.taken.errors or self.taken.replayed:
            return cleaned  # a replay: the answer this key made is already in
        if not self.uploads and not (cleaned.get("note") or "").strip():
            raise forms.ValidationError("Joignez un fichier ou écrivez une note pour répondre.")
        if len(self.uploads) > MAX_FILES:
            raise forms.ValidationError(f"{MAX_FILES} fichiers au plus par réponse.")
        if sum(upload.size or 0 for upload in self.uploads) > settings.MAX_UPLOAD_MESSAGE_BYTES:
            limit = filesizeformat(settings.MAX_UPLOAD_MESSAGE_BYTES)
            raise forms.ValidationError(f"L'ensemble des fichiers dépasse {limit}.")
        for upload in self.uploads:
            name = display_name(upload.name or "")
            # A completed upload was checked once, when it completed: its stored type is enough.
            content_type = self.taken.checked_type(upload)
            if not content_type:
                try:
                    content_type = check_upload(upload, name=name).content_type
                except RejectedFile as error:
                    raise forms.ValidationError(error.messages[0]) from None
            if content_type not in ACCEPTED:
                raise forms.ValidationError(f"« {name} » : joignez une photo ou un PDF.")
            if self.photos_only:
                self._check_photo(upload, name, content_type)
        return cleaned

    def _check_photo(self, upload, name: str, content_type: str) -> None:
        if content_type not in PHOTO_TYPES:
            raise forms.ValidationError(f"« {name} » : cet élément attend une photo.")
        verdict = quality.check_photo(upload)
        if not verdict.ok:
            raise forms.ValidationError(f"« {name} » : {verdict.problems[0]}")


class AskAgainForm(forms.Form):
    reason = PlainTextField(
        label="Motif de la nouvelle demande",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Indiquez pourquoi vous redemandez cet élément."},
    )
