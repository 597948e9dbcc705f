"""The clients' own API (issue 27): /api/client/v1/, documented at /api/client/v1/docs.

A client's token (created by the firm's account manager) reads that client's dossiers and
nothing else: a dossier of another client is a 404, the core system's token a 401 here (and a
client's token a 401 on the core system's API).
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet
from ninja import Field, NinjaAPI, Path, Query, Schema, Swagger

from connect.api import errors
from connect.api.auth import ClientBearerToken
from connect.api.parser import StrictJsonParser
from connect.api.responses import documented
from connect.api.schemas import Reference
from connect.clients.access import client_dossiers
from connect.deadlines.models import WaitPeriod
from connect.dossiers.models import Dossier

MAX_PAGE = 500

client_api = NinjaAPI(
    title="Connect Réparateurs — API des clients",
    version="1.0.0",
    urls_namespace="client_api",
    description=(
        "Les dossiers d'un client du cabinet (assureur, loueur, gestionnaire de flotte), pour "
        "son propre système. Authentification : `Authorization: Bearer <jeton>`, un jeton de "
        "client créé par son gestionnaire de compte ; il ne lit que les dossiers de ce client. "
        "Pagination par curseur (`after`, la valeur `next` de la page précédente), jamais par "
        "rang. Erreurs : JSON `{code, message: {fr, en}, errors: [...]}`."
    ),
    auth=ClientBearerToken(),
    parser=StrictJsonParser(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(client_api)


class ClientDossierOut(Schema):
    reference: str
    plate: str
    claim_reference: str
    vehicle: str
    insurer: str
    insured_name: str
    status_label: str
    impact: str
    repair_amount: Decimal | None
    mission_received_on: date | None
    awaiting_invoice: bool
    archived: bool
    client_region: str
    garage: str = Field(..., description="Raison sociale du garage.")
    unit: str = Field(..., description="Code de l'unité du cabinet.")
    ball: str = Field(..., description="À qui la main : garage, firm (le cabinet) ou vide.")
    waiting_since: datetime | None
    due_at: datetime | None


DOSSIER_FIELDS = tuple(set(ClientDossierOut.model_fields) - {"garage", "unit"})


class StepOut(Schema):
    label: str
    kind: str
    occurred_at: datetime


class WaitOut(Schema):
    kind: str
    side: str
    since: datetime
    due_at: datetime | None
    ended_at: datetime | None


class ClientDossierDetail(ClientDossierOut):
    steps: list[StepOut]
    waits: list[WaitOut]


class DossierPage(Schema):
    dossiers: list[ClientDossierOut]
    next: str | None = Field(None, description="Curseur de la page suivante (`after`).")


class DossierFilters(Schema):
    after: str = Field("", description="Curseur : la valeur `next` de la page précédente.")
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    archived: bool | None = Field(None, description="Clos (true) ou en cours (false).")
    received_since: date | None = Field(None, description="Mission reçue depuis cette date.")
    region: str = Field("", max_length=100, description="Région ou agence du client.")


def _dossiers(request) -> QuerySet:
    return client_dossiers(request.auth.client_id).select_related("garage", "garage__unit")


def _out(dossier: Dossier) -> dict:
    return {
        **{name: getattr(dossier, name) for name in DOSSIER_FIELDS},
        "garage": dossier.garage.name,
        "unit": dossier.garage.unit.code,
    }


@client_api.get("/dossiers", response=documented({200: DossierPage}, not_found=False))
def list_dossiers(request, filters: Query[DossierFilters]):
    """Les dossiers du client, par ordre de création, une page à la fois."""
    dossiers = _dossiers(request).order_by("id")
    if filters.after:
        if not filters.after.isascii() or not filters.after.isdigit():
            raise errors.ApiError(422, "invalid_cursor", "Curseur invalide.", "Invalid cursor.")
        dossiers = dossiers.filter(id__gt=int(filters.after))
    if filters.archived is not None:
        dossiers = dossiers.filter(archived=filters.archived)
    if filters.received_since:
        dossiers = dossiers.filter(mission_received_on__gte=filters.received_since)
    if filters.region:
        dossiers = dossiers.filter(client_region=filters.region)
    page = list(dossiers[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {"dossiers": [_out(d) for d in page], "next": str(page[-1].id) if more else None}


@client_api.get("/dossiers/{reference}", response=documented({200: ClientDossierDetail}))
def get_dossier(request, reference: Path[Reference]):
    """Un dossier du client, avec ses étapes et l'historique de ses attentes."""
    dossier = _dossiers(request).filter(reference=reference).first()
    if dossier is None:
        raise errors.not_found("Dossier", "Dossier")
    waits = WaitPeriod.objects.filter(dossier=dossier).order_by("since", "id")
    return {
        **_out(dossier),
        "steps": list(dossier.steps.order_by("occurred_at", "id")),
        "waits": list(waits),
    }
