"""The composer and the reply form, both driven by the subject table (subjects.py)."""

import uuid

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import formats

from connect.documents.models import PHOTO_TYPES, DocumentType
from connect.documents.renditions import photo_as_pdf
from connect.documents.validation import RejectedFile, check_upload, display_name
from connect.lib.text import PlainTextField
from connect.messaging.services import Attachment, Exam, visit_dates
from connect.messaging.subjects import EXAM_KIND_LABELS, ExamKind, Need, Subject
from connect.uploads.limits import MAX_FILES
from connect.uploads.services import Taken, take


def limits_text() -> str:
    return (
        f"{filesizeformat(settings.MAX_UPLOAD_FILE_BYTES)} maximum par fichier, "
        f"{filesizeformat(settings.MAX_UPLOAD_MESSAGE_BYTES)} maximum par message"
    )


class MessageForm(forms.Form):
    """Body, files and their types, per the subject's rules. `files`/`types` are lists."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, subject: Subject, dossier, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject, self.dossier, self.user = subject, dossier, user
        self.attachments: list[Attachment] = []
        # Completed resumable uploads named by `upload` (connect/uploads), after the files.
        self.taken = Taken([], [], [])
        self.initial.setdefault("token", uuid.uuid4())
        if subject.message != Need.ABSENT:
            self.fields["body"] = PlainTextField(
                label="Message",
                required=subject.message == Need.REQUIRED,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={"required": "Écrivez votre message."},
            )

    @property
    def uploads(self):
        return (self.files.getlist("files") if self.files else []) + self.taken.files

    def clean(self):
        cleaned = super().clean()
        if self.subject.message == Need.ABSENT and (self.data.get("body") or "").strip():
            self.add_error(None, f"L'objet « {self.subject.label} » n'accepte pas de message : "
                                 "joignez seulement le document.")  # fmt: skip
        self._clean_files()
        if self._errors:
            self.taken.close()  # nothing will be sent: the assembled files go now
        return cleaned

    def _clean_files(self) -> None:
        codes = self.data.getlist("upload") if hasattr(self.data, "getlist") else []
        if codes and self.user is not None:
            key = self.cleaned_data.get("token")
            self.taken = take(user=self.user, dossier=self.dossier, codes=codes, key=key)
            for error in self.taken.errors:
                self.add_error(None, error)
            if self.taken.errors or self.taken.replayed:
                return  # a replay: the service returns the message this key already made
        uploads = self.uploads
        if not uploads:
            if self.subject.documents == Need.REQUIRED:
                self.add_error(
                    None, "Joignez au moins un document (" + self.subject.accepted_text + ")."
                )
            return
        if len(uploads) > MAX_FILES:
            self.add_error(None, f"{MAX_FILES} fichiers au plus par message.")
            return
        if sum(upload.size for upload in uploads) > settings.MAX_UPLOAD_MESSAGE_BYTES:
            limit = filesizeformat(settings.MAX_UPLOAD_MESSAGE_BYTES)
            self.add_error(None, f"L'ensemble des fichiers dépasse {limit} par message.")
            return
        types = self.data.getlist("types") if hasattr(self.data, "getlist") else []
        if len(types) == 1:
            types = types * len(uploads)  # without JS: one type for every file
        for index, upload in enumerate(uploads):
            chosen = types[index] if index < len(types) else ""
            self._clean_file(upload, chosen)

    def _clean_file(self, upload, chosen: str) -> None:
        name = display_name(upload.name or "")
        try:
            checked = check_upload(upload, name=name)
        except RejectedFile as error:
            self.add_error(None, error.messages[0])
            return
        if checked.content_type not in self.subject.accepted_types:
            self.add_error(None, f"« {name} » : l'objet « {self.subject.label} » accepte "
                                 f"{self.subject.accepted_text}.")  # fmt: skip
            return
        if not self.subject.automatic and chosen not in self.subject.manual_types:
            choices = self.subject.type_choices
            # The firm's catalogue is 24 types long: name them only when the list is short.
            among = (
                " parmi : " + ", ".join(label for _, label in choices) if len(choices) <= 8 else ""
            )
            self.add_error(None, f"Choisissez le type de « {name} »{among}.")
            return
        doc_type = self.subject.type_for(checked.content_type, chosen)
        if self.subject.photos_as_pdf and checked.content_type in PHOTO_TYPES:
            upload = photo_as_pdf(upload, name=name)
        self.attachments.append(Attachment(file=upload, doc_type=DocumentType(doc_type)))


class ComposerForm(MessageForm):
    """A new thread: the subject's own rules, plus the exam fields of exam requests."""

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        subject = self.subject
        if len(subject.exam_kinds) > 1:
            self.fields["exam_kind"] = forms.ChoiceField(
                label="Examen",
                choices=[(kind.value, EXAM_KIND_LABELS[kind]) for kind in subject.exam_kinds],
                widget=forms.RadioSelect,
                error_messages={"required": "Choisissez l'examen à programmer."},
            )
        if subject.exam_kinds:
            self.dates = visit_dates(self.dossier.garage, today=today)
            self.fields["requested_date"] = forms.ChoiceField(
                label="Date souhaitée (jours de passage de l'expert)",
                choices=[("", "Choisir une date")]
                + [(d.isoformat(), formats.date_format(d, "l j F Y")) for d in self.dates],
                error_messages={
                    "required": "Choisissez une date parmi les jours de passage de l'expert.",
                    "invalid_choice": "Choisissez une date parmi les jours de passage de "
                    "l'expert, à partir de demain.",
                },
            )
        if subject.reason_required:
            self.fields["reason"] = PlainTextField(
                label="Motif",
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Indiquez le motif de la demande."},
            )

    def clean(self):
        refusal = self.subject.refusal(self.dossier)
        if refusal:
            raise forms.ValidationError(refusal, code="refused")
        return super().clean()

    @property
    def exam(self) -> Exam | None:
        if not self.subject.exam_kinds:
            return None
        kind = self.cleaned_data.get("exam_kind") or self.subject.exam_kinds[0]
        requested = next(
            d for d in self.dates if d.isoformat() == self.cleaned_data["requested_date"]
        )
        return Exam(ExamKind(kind), requested, self.cleaned_data.get("reason", "").strip())


class SubjectChoiceForm(forms.Form):
    objet = forms.ChoiceField(label="Objet")

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objet"].choices = [("", "Choisir l'objet du message")] + [
            (subject.key, subject.label) for subject in subjects
        ]
