"""The guide's subject table (docs/product.md §10), as one declarative structure.

Everything that depends on a subject reads it from here: the composer (fields shown, hidden or
required, the type list of each file), the server-side validation, the routing of the thread,
the events for the core system and the tests (parametrised over SUBJECTS).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.db import models

from connect.documents.models import PHOTO_TYPES, DocumentType

PDF = "application/pdf"

EAD_FIRST = "Vous devez d'abord envoyer votre dossier EAD"
ESD_NOT_FOR_APPROVED = (
    "L'examen sans déplacement n'est pas possible sur un missionnement réparateur agréé."
)
VE_ONLY = "Le suivi VE ne concerne que les dossiers en procédure VE."


class Need(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    ABSENT = "absent"


class RoutedRole(models.TextChoices):
    """Whom a subject's threads go to (the dossier's person of that role, or the unit's pool):
    the table's `routed_to` and the Thread.routed_role field."""

    EXPERT = "expert", "Expert"
    ADVISOR = "advisor", "Conseiller client"


class ExamKind(StrEnum):
    FIELD = "field"
    VE_DURING = "ve_during"
    VE_AFTER = "ve_after"


EXAM_KIND_LABELS = {
    ExamKind.FIELD: "Expertise terrain",
    ExamKind.VE_DURING: "Examen pendant travaux",
    ExamKind.VE_AFTER: "Examen après travaux",
}
# Generated sentences agree with the exam's noun: "Expertise terrain demandée",
# "Examen pendant travaux demandé".
FEMININE_EXAM_KINDS = frozenset({ExamKind.FIELD})


def agree(participle: str, kind: str) -> str:
    """A past participle ("demandé", "Confirmé") agreed with the exam kind's noun."""
    return f"{participle}e" if kind in FEMININE_EXAM_KINDS else participle


def _methodology_type(content_type: str) -> str:
    return (
        DocumentType.EXTRA_DAMAGE
        if content_type in PHOTO_TYPES
        else DocumentType.REPAIRER_SUPPLEMENT
    )


@dataclass(frozen=True)
class Subject:
    key: str
    label: str
    purpose: str
    message: Need
    documents: Need
    routed_to: RoutedRole
    # Manual typing: the types the repairer chooses from, one per file.
    manual_types: tuple[str, ...] = ()
    # Automatic typing: the type decided from the sniffed content type of each file.
    auto_type: Callable[[str], str] | None = None
    accepted_types: tuple[str, ...] = (PDF, *PHOTO_TYPES)
    # Photos are converted to a one-page PDF before they are stored (the firm wants PDFs).
    photos_as_pdf: bool = False
    # Exam requests carry a date among the visit days (and, for a field exam, a reason).
    exam_kinds: tuple[ExamKind, ...] = ()
    reason_required: bool = False
    # Dossier → None when the subject may be used, else the French reason it may not.
    refusal: Callable = field(default=lambda dossier: None)
    # Not even offered in the list when this holds (the server refuses it all the same).
    hidden: Callable = field(default=lambda dossier: False)

    @property
    def automatic(self) -> bool:
        return self.auto_type is not None

    @property
    def accepts_pdf(self) -> bool:
        return PDF in self.accepted_types

    @property
    def accepts_photos(self) -> bool:
        return any(t in PHOTO_TYPES for t in self.accepted_types)

    @property
    def accepted_text(self) -> str:
        if self.photos_as_pdf:
            return "PDF, ou photo de la facture papier (JPEG, PNG, WebP ou HEIC) convertie en PDF"
        if not self.accepts_photos:
            return "PDF uniquement"
        if not self.accepts_pdf:
            return "photos uniquement (JPEG, PNG, WebP ou HEIC)"
        return "PDF, JPEG, PNG, WebP ou HEIC"

    @property
    def type_choices(self) -> list[tuple[str, str]]:
        return [(value, DocumentType(value).label) for value in self.manual_types]

    def type_for(self, content_type: str, chosen: str = "") -> str:
        return self.auto_type(content_type) if self.auto_type else chosen


def _field_exam_refusal(dossier):
    if dossier.remote_assessment and dossier.awaiting_ead:
        return EAD_FIRST
    return None


def _esd_refusal(dossier):
    return ESD_NOT_FOR_APPROVED if dossier.approved_repairer_mission else None


def _ve_refusal(dossier):
    return None if dossier.ve_procedure else VE_ONLY


CERT_AND_ORDER = (DocumentType.REGISTRATION_CERTIFICATE, DocumentType.REPAIR_ORDER)

INVOICE = Subject(
    key="facture",
    label="Facture définitive des réparations",
    purpose="Envoi de la facture définitive des réparations uniquement",
    message=Need.ABSENT,
    documents=Need.REQUIRED,
    routed_to=RoutedRole.ADVISOR,
    auto_type=lambda content_type: DocumentType.REPAIR_INVOICE,
    # A paper invoice photographed with the phone is accepted and filed as a PDF.
    photos_as_pdf=True,
)

ADVISOR_MESSAGE = Subject(
    key="conseiller",
    label="Communication conseiller client",
    purpose="Informations ou demandes administratives",
    message=Need.REQUIRED,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.ADVISOR,
    manual_types=(
        DocumentType.OTHER,
        DocumentType.INSURED_STATEMENT,
        DocumentType.ACCESSORY_INVOICES,
        *CERT_AND_ORDER,
    ),
)

METHODOLOGY = Subject(
    key="methodologie",
    label="Evolution méthodologie",
    purpose="Travaux supplémentaires pour l'expert (complément de travaux)",
    message=Need.REQUIRED,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.EXPERT,
    auto_type=_methodology_type,
)

EXPERT_MESSAGE = Subject(
    key="expert",
    label="Communication à l'expert",
    purpose="Informations ou demandes techniques",
    message=Need.REQUIRED,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.EXPERT,
    manual_types=(
        DocumentType.QUOTE,
        DocumentType.ROADWORTHINESS_TEST,
        DocumentType.ALIGNMENT_CHECK,
        DocumentType.VE_FOLLOW_UP_REPORT,
        DocumentType.ADAS_DIAGNOSIS,
        DocumentType.DIAGNOSIS,
    ),
)

ESD = Subject(
    key="esd",
    label="Demande examen sans déplacement (ESD)",
    purpose="Examen à distance sur photos prises avec un smartphone",
    message=Need.OPTIONAL,
    documents=Need.REQUIRED,
    routed_to=RoutedRole.EXPERT,
    auto_type=lambda content_type: DocumentType.PHOTO,
    accepted_types=PHOTO_TYPES,
    refusal=_esd_refusal,
    hidden=lambda dossier: dossier.approved_repairer_mission,
)

FIELD_EXAM = Subject(
    key="expertise-terrain",
    label="Demande expertise terrain",
    purpose="Demande de rendez-vous sur place",
    message=Need.OPTIONAL,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.EXPERT,
    manual_types=CERT_AND_ORDER,
    exam_kinds=(ExamKind.FIELD,),
    reason_required=True,
    refusal=_field_exam_refusal,
)

VE_FOLLOW_UP = Subject(
    key="suivi-ve",
    label="Suivi VE : demande d'examen",
    purpose="Programmer l'examen pendant travaux ou après travaux (procédure VE)",
    message=Need.OPTIONAL,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.EXPERT,
    manual_types=(DocumentType.VE_FOLLOW_UP_REPORT, DocumentType.QUOTE, *CERT_AND_ORDER),
    exam_kinds=(ExamKind.VE_DURING, ExamKind.VE_AFTER),
    refusal=_ve_refusal,
    hidden=lambda dossier: not dossier.ve_procedure,
)

VEHICLE_NOT_SEEN = Subject(
    key="vehicule-non-vu",
    label="Véhicule non vu",
    purpose="Signaler au conseiller qu'un rendez-vous n'a pas été honoré",
    message=Need.REQUIRED,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.ADVISOR,
    manual_types=CERT_AND_ORDER,
)

VEHICLE_NOT_REMOVED = Subject(
    key="vehicule-non-enleve",
    label="Véhicule non enlevé",
    purpose="Gestion de l'enlèvement du véhicule",
    message=Need.REQUIRED,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.ADVISOR,
    manual_types=(
        DocumentType.REMOVAL_AUTHORISATION,
        DocumentType.SCRAPPER_FEEDBACK,
        *CERT_AND_ORDER,
    ),
)

MISC = Subject(
    key="divers",
    label="Divers",
    purpose="Toute autre question",
    message=Need.REQUIRED,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.ADVISOR,
    manual_types=(DocumentType.OTHER,),
)

SUBJECTS: tuple[Subject, ...] = (
    INVOICE,
    ADVISOR_MESSAGE,
    METHODOLOGY,
    EXPERT_MESSAGE,
    ESD,
    FIELD_EXAM,
    VE_FOLLOW_UP,
    VEHICLE_NOT_SEEN,
    VEHICLE_NOT_REMOVED,
    MISC,
)

BY_KEY = {subject.key: subject for subject in SUBJECTS}
# Threads the firm opens (staff workspace, core system) carry a free subject of this key.
FIRM_SUBJECT = Subject(
    key="cabinet",
    label="Message du cabinet",
    purpose="Message du cabinet au réparateur",
    message=Need.REQUIRED,
    documents=Need.OPTIONAL,
    routed_to=RoutedRole.EXPERT,
    manual_types=(DocumentType.OTHER,),
)
# The same subject as the firm writes it (any thread, staff reply form): the firm files its
# documents under any type of the catalogue (docs/product.md: "typed from the full catalogue"),
# while a repairer answering a firm thread files "Autre".
FIRM_REPLY = replace(FIRM_SUBJECT, manual_types=tuple(DocumentType.values))
ALL_BY_KEY = {**BY_KEY, FIRM_SUBJECT.key: FIRM_SUBJECT}
SUBJECT_CHOICES = [(subject.key, subject.label) for subject in (*SUBJECTS, FIRM_SUBJECT)]


def get_subject(key: str) -> Subject | None:
    return ALL_BY_KEY.get(key)


def offered_subjects(dossier) -> list[Subject]:
    """The subjects the composer lists for this dossier."""
    return [subject for subject in SUBJECTS if not subject.hidden(dossier)]
