"""Dossiers: PUT/GET one, POST a batch (at once, or as a job: connect/api/batches.py), POST a
step."""

import uuid
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from ninja import Path, Router, Status

from connect.accounts.models import Garage, Role, User
from connect.api import batches, idempotency
from connect.api.errors import field_error, invalid, not_found
from connect.api.models import BatchJob
from connect.api.responses import documented
from connect.api.schemas import (
    BatchAccepted,
    BatchIn,
    BatchOut,
    BatchStatusOut,
    DossierBatchItem,
    DossierIn,
    Reference,
    StepIn,
    StepOut,
)
from connect.clients.models import Client
from connect.dossiers.models import Dossier
from connect.dossiers.services import PLAIN_FIELDS, add_step, upsert_dossier, upsert_dossiers

router = Router(tags=["Dossiers"])


def dossier_by_reference(reference: str) -> Dossier:
    """The core system's way to a dossier: a token reaches every one, by its firm reference
    (not a user's door: that is `connect.dossiers.access.access_dossier`)."""
    dossier = Dossier.objects.select_related("garage", "expert", "advisor", "client")
    if (found := dossier.filter(reference=reference).first()) is None:
        raise not_found("Dossier", "Dossier")
    return found


def dossier_out(dossier: Dossier) -> DossierIn:
    return DossierIn(
        garage=dossier.garage.external_id,
        repair_amount=None if dossier.repair_amount is None else f"{dossier.repair_amount:.2f}",
        expert_email=dossier.expert.email if dossier.expert else None,
        advisor_email=dossier.advisor.email if dossier.advisor else None,
        client=dossier.client.external_id if dossier.client else None,
        **{name: getattr(dossier, name) for name in PLAIN_FIELDS},
    )


class Resolver:
    """Turns external ids and e-mails into row ids, three queries for a whole batch."""

    def __init__(self, items: Sequence[DossierIn]):
        garages = {item.garage for item in items}
        clients = {item.client for item in items if item.client}
        self.clients = dict(
            Client.objects.filter(external_id__in=clients).values_list("external_id", "id")
        )
        emails = {e for item in items for e in (item.expert_email, item.advisor_email) if e}
        self.garages = dict(
            Garage.objects.filter(external_id__in=garages).values_list("external_id", "id")
        )
        self.staff = {
            (email, role): pk
            for email, role, pk in User.objects.filter(
                email__in=emails, role__in=(Role.EXPERT, Role.ADVISOR)
            ).values_list("email", "role", "id")
        }

    def values(self, item: DossierIn, errors: list, **where) -> dict:
        garage_id = self.garages.get(item.garage)
        if garage_id is None:
            errors.append(
                field_error(
                    "garage", "unknown_garage", "Garage inconnu.", "Unknown garage.", **where
                )
            )
        expert_id = self._staff(item.expert_email, Role.EXPERT, "expert_email", errors, where)
        advisor_id = self._staff(item.advisor_email, Role.ADVISOR, "advisor_email", errors, where)
        client_id = None
        if item.client:
            client_id = self.clients.get(item.client)
            if client_id is None:
                errors.append(
                    field_error(
                        "client", "unknown_client", "Client inconnu.", "Unknown client.", **where
                    )
                )
        amount = item.repair_amount
        return {
            "client_id": client_id,
            "garage_id": garage_id,
            "expert_id": expert_id,
            "advisor_id": advisor_id,
            "repair_amount": None if amount is None else Decimal(amount),
            **{name: getattr(item, name) for name in PLAIN_FIELDS},
        }

    def _staff(self, email, role, field, errors, where):
        if not email:
            return None
        pk = self.staff.get((email, role))
        if pk is None:
            label = {"expert": ("Expert inconnu.", "Unknown expert.")}.get(
                role, ("Conseiller inconnu.", "Unknown advisor.")
            )
            errors.append(field_error(field, f"unknown_{role}", *label, **where))
        return pk


def apply_batch(items: Sequence[DossierBatchItem]) -> BatchOut:
    """All or nothing: the batch's dossiers written, or `invalid` with each item's errors."""
    errors: list = []
    resolver = Resolver(items)
    rows: dict[str, dict] = {}
    for index, item in enumerate(items):
        where = {"index": index, "reference": item.reference}
        if item.reference in rows:
            errors.append(
                field_error(
                    "reference",
                    "duplicate_reference",
                    "Référence présente deux fois dans le lot.",
                    "Reference appears twice in the batch.",
                    **where,
                )
            )
        rows[item.reference] = resolver.values(item, errors, **where)
    if errors:
        raise invalid(errors)
    created, updated, unchanged = upsert_dossiers(rows=rows)
    return BatchOut(created=created, updated=updated, unchanged=unchanged)


def queued(request, payload: BatchIn) -> bool:
    """A batch over API_BATCH_SYNC_MAX items, or one sent with `Prefer: respond-async`
    (RFC 7240), is a job: the web worker only stores it."""
    prefer = {part.strip().lower() for part in request.headers.get("Prefer", "").split(",")}
    return len(payload.dossiers) > settings.API_BATCH_SYNC_MAX or "respond-async" in prefer


@router.post(
    "/dossiers/batch",
    response=documented({200: BatchOut, 202: BatchAccepted}, not_found=False),
)
def post_batch(request, response: HttpResponse, payload: BatchIn):
    """Jusqu'à 1 000 dossiers d'un coup : tout ou rien, avec les erreurs de chaque élément.

    Jusqu'à 100 dossiers (`API_BATCH_SYNC_MAX`), le lot est appliqué pendant la requête : 200
    avec ses nombres, ou 422 avec une erreur par élément. Au-delà, ou avec l'en-tête
    `Prefer: respond-async`, il est accepté en **202** : `status_url` (aussi en `Location`)
    donne son état (`queued`, `done` avec ses nombres, `failed` avec les erreurs par élément) et
    le flux `/events` porte `batch.done` ou `batch.failed`. Avec `Idempotency-Key`, un lot
    renvoyé rejoue la même réponse 202 (le même lot), il n'est pas appliqué deux fois."""
    in_background = queued(request, payload)

    def action():
        if in_background:
            return 202, batches.accept(token=request.auth, payload=payload)
        return 200, apply_batch(payload.dossiers)

    request_hash = idempotency.digest("batch", payload.model_dump_json())
    answer = idempotency.once(request, response, request_hash=request_hash, action=action)
    if answer.status_code == 202:
        response["Location"] = answer.value["status_url"]
    return answer


@router.get("/dossiers/batch/jobs/{code}", response=documented({200: BatchStatusOut}))
def get_batch_job(request, code: Path[uuid.UUID]):
    """L'état d'un lot accepté en 202 (seul le jeton qui l'a envoyé le voit)."""
    job = BatchJob.objects.filter(code=code, token=request.auth).first()
    if job is None:
        raise not_found("Lot", "Batch")
    return batches.status(job)


@router.get("/dossiers/{reference}", response=documented({200: DossierIn}))
def get_dossier(request, reference: Path[Reference]):
    """Le dossier tel que le portail le détient, dans la forme exacte qu'accepte PUT."""
    return dossier_out(dossier_by_reference(reference))


@router.put("/dossiers/{reference}", response=documented({200: DossierIn, 201: DossierIn}))
def put_dossier(request, reference: Path[Reference], payload: DossierIn):
    """Crée ou met à jour un dossier. Changer de garage change aussi qui le voit."""
    errors: list = []
    values = Resolver([payload]).values(payload, errors)
    if errors:
        raise invalid(errors)
    dossier, created = upsert_dossier(reference=reference, values=values)
    return Status(201 if created else 200, dossier_out(dossier_by_reference(dossier.reference)))


@router.post("/dossiers/{reference}/steps", response=documented({201: StepOut}))
def post_step(request, response: HttpResponse, reference: Path[Reference], payload: StepIn):
    """Ajoute une étape datée au dossier."""
    dossier = dossier_by_reference(reference)

    def action():
        step = add_step(dossier=dossier, **payload.model_dump())
        return 201, StepOut(
            id=step.id, label=step.label, kind=step.kind, occurred_at=step.occurred_at
        )

    request_hash = idempotency.digest("step", reference, payload.model_dump_json())
    return idempotency.once(request, response, request_hash=request_hash, action=action)
