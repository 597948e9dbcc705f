"""The JSON shapes of the API; the OpenAPI document is generated from them.

What GET returns for a garage, a repairer or a dossier is exactly what PUT accepts.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from annotated_types import GroupedMetadata
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import AfterValidator, ConfigDict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from connect.accounts.models import normalize_email
from connect.dossiers.models import Impact, StepKind
from connect.lib.plates import is_valid_plate
from connect.lib.text import clean_text
from connect.readings.vins import is_valid_vin

MAX_BATCH = 1000


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError(
            "nul_character", "NUL characters are not allowed.", {"fr": "Caractère NUL interdit."}
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "invalid_unicode", "Invalid Unicode text.", {"fr": "Texte Unicode invalide."}
        ) from None
    try:
        return clean_text(value, field="Ce champ")
    except ValueError as error:
        raise PydanticCustomError(
            "invisible_characters",
            "Invisible formatting characters (bidi controls, zero-width…) are not allowed.",
            {"fr": str(error)},
        ) from None


def _clean_plate(value: str) -> str:
    if value and not is_valid_plate(value):
        raise PydanticCustomError(
            "invalid_plate",
            "Not a French plate: SIV AA-123-AA, FNI 1234 AB 56 or temporary WW-123-AA.",
            {"fr": "Immatriculation invalide : SIV AA-123-AA, FNI 1234 AB 56 ou WW provisoire."},
        )
    return value


def _clean_vin(value: str) -> str:
    value = value.upper()
    if value and not is_valid_vin(value):
        raise PydanticCustomError(
            "invalid_vin",
            "Not a VIN: 17 letters and digits, never I, O or Q.",
            {"fr": "VIN invalide : 17 lettres et chiffres, sans I, O ni Q."},
        )
    return value


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """A text field's rules, inside `Annotated[str, Text(200, min_length=1)]`: stripped, its
    length (and pattern) checked on the stripped text, then cleaned (_clean_text). The
    constraints come before the cleaning so that pydantic checks them on the string itself,
    with its string_too_long/pattern errors and JSON schema."""

    max_length: int
    min_length: int = 0
    pattern: str | None = None

    def __iter__(self) -> Iterator[Any]:
        yield StringConstraints(
            strip_whitespace=True,
            min_length=self.min_length,
            max_length=self.max_length,
            pattern=self.pattern,
        )
        yield AfterValidator(_clean_text)


def _clean_email(value: str) -> str:
    value = _clean_text(value).lower()
    try:
        validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError(
            "invalid_email", "Invalid e-mail address.", {"fr": "Adresse e-mail invalide."}
        ) from None
    return value


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254),
    AfterValidator(_clean_email),
    Field(json_schema_extra={"format": "email"}),
]


def _plausible_year(value):
    if not 1900 <= value.year <= 2100:
        raise PydanticCustomError(
            "year_out_of_range",
            "Year must be between 1900 and 2100.",
            {"fr": "L'année doit être comprise entre 1900 et 2100."},
        )
    return value


def _aware(value: datetime) -> datetime:
    """A date-time without offset is Paris time, as the core system's screens show it."""
    value = _plausible_year(value)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


DateTime = Annotated[datetime, AfterValidator(_aware)]
Date = Annotated[date, AfterValidator(_plausible_year)]
Plate = Annotated[str, Text(20), AfterValidator(_clean_plate)]
Vin = Annotated[str, Text(17), AfterValidator(_clean_vin)]


def _clean_insured_email(value: str) -> str:
    # Compared with an insured account's login: folded the same way (NFKC, case).
    return value and normalize_email(_clean_email(value))


# One type (not a union with ""), so that an error names the field itself.
InsuredEmail = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254),
    AfterValidator(_clean_insured_email),
]
# A phone number as dialled: E.164 (+ and 6 to 15 digits) or a French national number.
Mobile = Annotated[str, Text(20, 0, r"^(\+[1-9][0-9]{5,14}|0[1-9][0-9]{8})?$")]
# Firm references and external ids travel in URLs: letters, digits, dot, dash, underscore.
Reference = Annotated[str, Text(20, 1, r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
ExternalId = Annotated[str, Text(64, 1, r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Amount = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^\d{1,10}(\.\d{1,2})?$"),
    Field(description="Montant HT en euros, chaîne décimale (ex. « 2725.90 »)."),
]


def _not_zero(value: str) -> str:
    if Decimal(value) == 0:
        raise PydanticCustomError(
            "amount_zero",
            "The amount must be more than 0.",
            {"fr": "Le montant doit être supérieur à 0,00 €."},
        )
    return value


# A payment of nothing settles nothing: it would close the invoice as paid.
PositiveAmount = Annotated[Amount, AfterValidator(_not_zero)]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
WEEKDAYS: tuple[str, ...] = get_args(Weekday)
ImpactLabel = Literal[tuple(choice.value for choice in Impact) + ("",)]  # type: ignore[valid-type]
StepKindCode = Literal[tuple(choice.value for choice in StepKind)]  # type: ignore[valid-type]


class Message(Schema):
    fr: str
    en: str


class FieldError(Schema):
    field: str
    code: str
    message: Message
    location: str | None = None
    index: int | None = Field(None, description="Rang de l'élément dans un lot (à partir de 0).")
    reference: str | None = None


class ErrorOut(Schema):
    code: str = Field(..., description="Code machine : unauthorized, invalid, not_found…")
    message: Message
    errors: list[FieldError] = []


class GarageIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it
    name: Annotated[str, Text(200, 1)]
    siret: Annotated[str, Text(14, 0, r"^(\d{14})?$")] = ""
    address: Annotated[str, Text(255)] = ""
    postal_code: Annotated[str, Text(10)] = ""
    city: Annotated[str, Text(100)] = ""
    email: Email | Literal[""] = ""
    phone: Annotated[str, Text(30)] = ""
    unit: Annotated[str, Text(20, 1)] = Field(
        ..., description="Code de l'unité (secteur) du cabinet."
    )
    expert_email: Email | None = Field(None, description="E-mail de l'expert attitré.")
    visit_days: list[Weekday] = Field([], max_length=6, description="Jours de passage.")


ClientKindCode = Literal["insurer", "lessor", "fleet", "other"]


class ClientIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it
    name: Annotated[str, Text(200, 1)]
    kind: ClientKindCode = Field(
        ...,
        description="insurer (assureur), lessor (loueur), fleet (gestionnaire de flotte), "
        "other (autre).",
    )


class RepairerIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it
    full_name: Annotated[str, Text(150)] = ""
    phone: Annotated[str, Text(30)] = ""
    active: bool = True


class RepairerPut(RepairerIn):
    # An account already in another garage joins this one only when asked: else 409.
    add_to_garage: bool = False


class DictSchema(Schema):
    """A schema mostly filled from dicts (JSON bodies, the feed's rows): a dict is validated as
    it is.

    Ninja wraps every input in an attribute getter meant for ORM objects, a Python call per
    field; for a batch of 1,000 dossiers that was a third of the request, for a feed page of
    500 events a third of the rendering. Objects still go through it.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values, handler, info):
        if isinstance(values, dict):
            return handler(values)
        return handler(DjangoGetter(values, cls, info.context))


class DossierIn(DictSchema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it
    garage: ExternalId = Field(..., description="Identifiant externe du garage.")
    plate: Plate = ""
    vin: Vin = Field("", description="N° de série (VIN), quand le système de gestion le connaît.")
    claim_reference: Annotated[str, Text(50)] = ""
    vehicle: Annotated[str, Text(120)] = ""
    insurer: Annotated[str, Text(120)] = ""
    status_label: Annotated[str, Text(60)] = ""
    insured_name: Annotated[str, Text(150)] = ""
    insured_email: InsuredEmail = Field(
        "",
        description="E-mail de l'assuré (vide : aucun) : le compte assuré de cette adresse "
        "suit le dossier ; changer l'adresse déplace l'accès aussitôt.",
    )
    insured_mobile: Mobile = Field(
        "", description="Mobile de l'assuré, format international (+33612345678) ou national."
    )
    insured_access: bool = Field(
        True, description="L'assuré peut suivre le dossier dans son espace."
    )
    appointment_at: DateTime | None = None
    impact: ImpactLabel = ""  # type: ignore[valid-type]
    repair_amount: Amount | None = None
    ve_procedure: bool = False
    ve_follow_up: bool = False
    remote_assessment: bool = Field(False, description="EAD (expertise à distance).")
    awaiting_ead: bool = False
    approved_repairer_mission: bool = False
    mission_received_on: Date | None = None
    awaiting_invoice: bool = False
    archived: bool = False
    expert_email: Email | None = None
    advisor_email: Email | None = None
    client: ExternalId | None = Field(
        None,
        description="Identifiant externe du client qui a commandé l'expertise "
        "(créé d'abord par PUT /clients/{external_id}).",
    )
    client_region: Annotated[str, Text(100)] = Field(
        "",
        description="Région ou agence du client : un utilisateur client peut être limité aux "
        "dossiers qui portent ce libellé.",
    )


class DossierBatchItem(DossierIn):
    reference: Reference


class BatchIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it
    dossiers: list[DossierBatchItem] = Field(..., min_length=1, max_length=MAX_BATCH)


class BatchOut(Schema):
    created: int
    updated: int
    unchanged: int


class BatchAccepted(Schema):
    """202: the batch is a job; its outcome comes at `status_url` and in the feed."""

    job: str = Field(..., description="Identifiant du lot en tâche de fond.")
    state: str = Field(..., description="`queued`, puis `done` ou `failed`.")
    items: int
    status_url: str = Field(..., description="GET : l'état du lot et son résultat.")


class BatchStatusOut(BatchAccepted):
    created_at: datetime
    finished_at: datetime | None = None
    result: BatchOut | None = Field(None, description="Une fois `done`.")
    error: dict[str, Any] | None = Field(
        None,
        description="Une fois `failed` : `{code, message, errors}`, une erreur par élément "
        "(index, reference, field, code), comme la réponse 422 d'un petit lot.",
    )


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")  # an unknown field is a 422 naming it
    label: Annotated[str, Text(200, 1)]
    kind: StepKindCode = "other"  # type: ignore[valid-type]
    occurred_at: DateTime


class StepOut(StepIn):
    id: int


class DocumentOut(Schema):
    code: str
    type: str
    title: str
    date: datetime
    replaces: str | None = None
    url: str


class DocumentLink(DictSchema):
    code: str
    url: str


# The kinds of events the feed carries, and what their payload holds (amounts as strings).
EVENT_KINDS = {
    "message.created": "message d'un réparateur (thread, message, subject, body…)",
    "exam.requested": "demande d'examen (exam: code, kind, requested_date, reason)",
    "invoice.sent": "facture envoyée par le garage",
    "request.created": "compléments demandés par l'expert (request, thread, items: code, "
    "label, doc_type, status)",
    "request_item.answered": "réponse du garage à un élément (item, note ; documents joints)",
    "request_item.received": "élément marqué reçu par l'expert (item)",
    "request_item.asked_again": "élément redemandé par l'expert (item, reason)",
    "supplement.submitted": "supplément demandé (supplement, amount, lines, thread ; "
    "documents : PDF et photos)",
    "supplement.decided": "décision sur un supplément (outcome accepted/partly/refused, "
    "amount, accepted_amount, reason, agreed_total)",
    "batch.done": "lot de dossiers accepté en 202 puis appliqué (job, created, updated, unchanged)",
    "batch.failed": "lot de dossiers accepté en 202 puis refusé, rien d'enregistré (job, code, "
    "message, errors : une par élément, avec index et reference)",
    "dossier.insured_access": "accès de l'assuré ouvert ou coupé par le cabinet "
    "(insured_access, by)",
}


class EventOut(DictSchema):
    id: int
    cursor: str = Field(..., description="Reprendre le flux après cet événement : ?after=…")
    kind: str = Field(
        ...,
        description="Nature de l'événement : "
        + " ; ".join(f"`{kind}` : {text}" for kind, text in EVENT_KINDS.items()),
        examples=list(EVENT_KINDS),
    )
    created_at: datetime
    garage: str | None = Field(None, description="Identifiant externe du garage.")
    dossier: str | None = Field(None, description="Référence du dossier.")
    payload: dict[str, Any]
    documents: list[DocumentLink] = []


class FeedOut(DictSchema):
    events: list[EventOut]
    next_cursor: str = Field(..., description="À passer en ?after= pour la page suivante.")
    has_more: bool
