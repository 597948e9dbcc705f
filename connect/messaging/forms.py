"""The composer and the reply form, both driven by the subject table (subjects.py)."""

import uuid
from typing import cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import formats

from connect.documents import quality
from connect.documents.models import PHOTO_TYPES, DocumentType
from connect.documents.provenance import Provenance
from connect.documents.renditions import photo_as_pdf
from connect.documents.shots import shot_list_for
from connect.documents.validation import RejectedFile, check_upload, display_name
from connect.lib.text import PlainTextField
from connect.messaging.services import Attachment, Exam, visit_dates
from connect.messaging.subjects import EXAM_KIND_LABELS, METHODOLOGY, ExamKind, Need, Subject
from connect.supplements import forms as supplement_forms
from connect.supplements.services import SupplementDraft
from connect.uploads.limits import MAX_FILES
from connect.uploads.services import Taken

# The phone's facts per file, parallel to `files` like `types` (docs/architecture.md).
DEVICE_LISTS = ("shot", "captured_at", "latitude", "longitude", "sha256")


def limits_text() -> str:
    return (
        f"{filesizeformat(settings.MAX_UPLOAD_FILE_BYTES)} maximum par fichier, "
        f"{filesizeformat(settings.MAX_UPLOAD_MESSAGE_BYTES)} maximum par message"
    )


class MessageForm(forms.Form):
    """Body, files and their types, per the subject's rules. `files`/`types` are lists, and so
    are the phone's facts of each file (DEVICE_LISTS); without JS each shot of the guided
    capture is its own file input, `shot-<key>`."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        subject: Subject,
        dossier,
        taken: Taken | None = None,
        guided: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.subject, self.dossier = subject, dossier
        self.attachments: list[Attachment] = []
        # Completed resumable uploads named by `upload`, checked after the files: assembled,
        # and closed, by connect/uploads (services.named_uploads), never by the form.
        self.taken = taken or Taken()
        self.initial.setdefault("token", uuid.uuid4())
        # Guided capture on a new message of a subject that has a shot list (not on replies).
        self.shot_list = shot_list_for(subject.key, dossier) if guided else None
        self.shots = list(self.shot_list.shots.all()) if self.shot_list else []
        # Shot key → (its photo's rank within the shot, why the server refused it): the phone
        # marks that photo to retake and keeps the others (capture.js).
        self.shot_refusals: dict[str, list[tuple[int, str]]] = {}
        if any(shot.confirm_plate for shot in self.shots):
            self.fields["plate"] = PlainTextField(
                label="Immatriculation lue sur la photo de la plaque",
                required=False,
                max_length=20,
                # Typed from the photo, never pre-filled: a pre-filled plate is confirmed
                # unread, and a wrong one would reach the expert unflagged.
                help_text="Recopiez l'immatriculation visible sur la photo de la plaque.",
            )
        if subject.message != Need.ABSENT:
            self.fields["body"] = PlainTextField(
                label="Message",
                required=subject.message == Need.REQUIRED,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={"required": "Écrivez votre message."},
            )

    @property
    def shot_steps(self) -> list[tuple[object, list[tuple[int, str]]]]:
        """Each shot with the server's refusals of its photos, for the template."""
        return [(shot, self.shot_refusals.get(shot.key, [])) for shot in self.shots]

    def _refuse(self, message: str, facts: dict[str, str], rank: int, why: str = "") -> None:
        """A refused file: the form's error, and its shot's (`why`, else the same words) if
        it is a guided photo."""
        self.add_error(None, message)
        key = facts.get("shot") or ""
        if key:
            self.shot_refusals.setdefault(key, []).append((rank, why or message))

    @property
    def uploads(self):
        return [upload for upload, _, _ in self._entries()]

    def _entries(self) -> list[tuple[UploadedFile, str, dict[str, str]]]:
        """(file, chosen type, the phone's facts) for every file posted, in order: the
        multipart `files`, then the completed uploads the message names (`upload`), then the
        no-JS shot inputs. The per-file lists run over the first two, in that order."""
        files = (self.files.getlist("files") if self.files else []) + self.taken.files
        lists = {name: self._list(name) for name in ("types", *DEVICE_LISTS)}
        if len(lists["types"]) == 1:
            lists["types"] = lists["types"] * len(files)  # without JS: one type for every file
        entries = []
        for index, upload in enumerate(files):
            facts = {name: _at(lists[name], index) for name in DEVICE_LISTS}
            entries.append((upload, _at(lists["types"], index), facts))
        for shot in self.shots if self.files else ():
            for upload in self.files.getlist(f"shot-{shot.key}"):
                entries.append((upload, "", {"shot": shot.key}))
        return entries

    def _list(self, name: str) -> list[str]:
        return self.data.getlist(name) if hasattr(self.data, "getlist") else []

    def clean(self):
        cleaned = super().clean()
        if self.subject.message == Need.ABSENT and (self.data.get("body") or "").strip():
            self.add_error(
                None,
                f"L'objet « {self.subject.label} » n'accepte pas de message : "
                "joignez seulement le document.",
            )
        self._clean_files()
        return cleaned

    def _clean_files(self) -> None:
        for error in self.taken.errors:
            self.add_error(None, error)
        if self.taken.errors or self.taken.replayed:
            return  # a replay: the service returns the message this key already made
        if self.taken.uploads and self.errors:
            return  # refused on its other fields: the uploads are not read for nothing
        entries = self._entries()
        uploads = [upload for upload, _, _ in entries]
        if self.shots and not self._clean_shots(entries):
            return
        if not uploads:
            if self.subject.documents == Need.REQUIRED:
                self.add_error(
                    None, "Joignez au moins un document (" + self.subject.accepted_text + ")."
                )
            return
        if len(uploads) > MAX_FILES:
            self.add_error(None, f"{MAX_FILES} fichiers au plus par message.")
            return
        if sum(upload.size or 0 for upload in uploads) > settings.MAX_UPLOAD_MESSAGE_BYTES:
            limit = filesizeformat(settings.MAX_UPLOAD_MESSAGE_BYTES)
            self.add_error(None, f"L'ensemble des fichiers dépasse {limit} par message.")
            return
        ranks: dict[str, int] = {}  # photos met so far per shot
        for upload, chosen, facts in entries:
            key = facts.get("shot") or ""
            ranks[key] = ranks.get(key, -1) + 1
            self._clean_file(upload, chosen, facts, rank=ranks[key])

    def _clean_shots(self, entries) -> bool:
        """Every required shot present, one photo per shot unless it allows several, no shot
        this list does not have, the plate confirmed. False: refused, files not examined."""
        by_key = {shot.key: shot for shot in self.shots}
        counts: dict[str, int] = {}
        for _, _, facts in entries:
            key = facts.get("shot") or ""
            if key and key not in by_key:
                self.add_error(None, "Prise de vue inconnue : rechargez la page puis réessayez.")
                return False
            if key:
                counts[key] = counts.get(key, 0) + 1
        missing = [shot.label for shot in self.shots if shot.required and not counts.get(shot.key)]
        if missing:
            self.add_error(None, "Photos obligatoires manquantes : " + ", ".join(missing) + ".")
            return False
        doubled = [
            shot.label for shot in self.shots if counts.get(shot.key, 0) > 1 and not shot.several
        ]
        if doubled:
            self.add_error(None, "Une seule photo par prise de vue : " + ", ".join(doubled) + ".")
            return False
        plate_shot = next((s for s in self.shots if s.confirm_plate and counts.get(s.key)), None)
        if plate_shot is not None and not self.cleaned_data.get("plate", "").strip():
            self.add_error(
                "plate", f"Confirmez l'immatriculation lue sur la photo « {plate_shot.label} »."
            )
            return False
        return True

    def _clean_file(self, upload, chosen: str, facts: dict[str, str], *, rank: int = 0) -> None:
        name = display_name(upload.name or "")
        # A completed upload was checked once, when it completed: its stored type is enough.
        content_type = self.taken.checked_type(upload)
        if not content_type:
            try:
                content_type = check_upload(upload, name=name).content_type
            except RejectedFile as error:
                self._refuse(error.messages[0], facts, rank)
                return
        if content_type not in self.subject.accepted_types:
            self._refuse(
                f"« {name} » : l'objet « {self.subject.label} » accepte "
                f"{self.subject.accepted_text}.",
                facts,
                rank,
            )
            return
        shot = next((s for s in self.shots if s.key == facts.get("shot")), None)
        if shot is not None:
            self._clean_shot_photo(upload, shot, content_type, facts, rank=rank)
            return
        if not self.subject.automatic and chosen not in self.subject.manual_types:
            choices = self.subject.type_choices
            # The firm's catalogue is 24 types long: name them only when the list is short.
            among = (
                " parmi : " + ", ".join(label for _, label in choices) if len(choices) <= 8 else ""
            )
            self.add_error(None, f"Choisissez le type de « {name} »{among}.")
            return
        doc_type = self.subject.type_for(content_type, chosen)
        provenance = None
        if self.subject.photos_as_pdf and content_type in PHOTO_TYPES:
            # A new file: the phone's hash and time were of the photo, not of this PDF.
            upload = photo_as_pdf(upload, name=name)
        elif content_type in PHOTO_TYPES and any(facts.values()):
            # A photo from the phone outside the shots: its facts are kept all the same.
            provenance = Provenance.from_device(
                captured_at=facts.get("captured_at", ""),
                latitude=facts.get("latitude", ""),
                longitude=facts.get("longitude", ""),
                sha256=facts.get("sha256", ""),
            )
        self.attachments.append(
            Attachment(file=upload, doc_type=DocumentType(doc_type), provenance=provenance)
        )

    def _clean_shot_photo(
        self, upload, shot, content_type: str, facts: dict[str, str], *, rank: int = 0
    ) -> None:
        """A photo of the guided capture: the quality checks, then its shot's type and the
        phone's provenance facts."""
        if content_type not in PHOTO_TYPES:
            self._refuse(
                f"« {shot.label} » : envoyez une photo.", facts, rank, "Envoyez une photo."
            )
            return
        verdict = quality.check_photo(upload)
        if not verdict.ok:
            why = verdict.problems[0]
            self._refuse(f"« {shot.label} » : {why}", facts, rank, why)
            return
        provenance = Provenance.from_device(
            shot=shot.key,
            shot_label=shot.label,
            captured_at=facts.get("captured_at", ""),
            latitude=facts.get("latitude", ""),
            longitude=facts.get("longitude", ""),
            sha256=facts.get("sha256", ""),
            confirmed_plate=(
                self.cleaned_data.get("plate", "").strip().upper() if shot.confirm_plate else ""
            ),
        )
        self.attachments.append(
            Attachment(file=upload, doc_type=DocumentType(shot.doc_type), provenance=provenance)
        )


class ComposerForm(MessageForm):
    """A new thread: the subject's own rules, plus the exam fields of exam requests and the
    guided capture of the subjects that have a shot list."""

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, guided=True, **kwargs)
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
        if subject.key == METHODOLOGY.key:  # a supplement: its amount excl. VAT, its lines
            supplement_forms.add_composer_fields(self)
        self.supplement: SupplementDraft | None = None

    def clean(self):
        refusal = self.subject.refusal(self.dossier)
        if refusal:
            raise forms.ValidationError(refusal, code="refused")
        cleaned = super().clean()
        if self.subject.key == METHODOLOGY.key:
            self.supplement = supplement_forms.composer_draft(self, dossier=self.dossier)
        return cleaned

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
        objet = cast(forms.ChoiceField, self.fields["objet"])  # declared just above
        objet.choices = [("", "Choisir l'objet du message")] + [
            (subject.key, subject.label) for subject in subjects
        ]


def _at(values: list[str], index: int) -> str:
    return values[index] if index < len(values) else ""
