"""PUT/GET /garages/{external_id} and /garages/{external_id}/users/{email}."""

from django.db import transaction
from ninja import Path, Router, Status

from connect.accounts.models import Garage, Role, Unit, User
from connect.accounts.services import attach_existing_repairer, upsert_garage, upsert_repairer
from connect.api.errors import ApiError, field_error, invalid, not_found
from connect.api.responses import documented
from connect.api.schemas import WEEKDAYS, Email, ExternalId, GarageIn, RepairerIn, RepairerPut

router = Router(tags=["Garages et comptes"])


def _garage(external_id: str) -> Garage:
    garage = Garage.objects.select_related("unit", "expert").filter(external_id=external_id)
    if (found := garage.first()) is None:
        raise not_found("Garage", "Garage")
    return found


def _garage_out(garage: Garage) -> GarageIn:
    return GarageIn(
        name=garage.name,
        siret=garage.siret,
        address=garage.address,
        postal_code=garage.postal_code,
        city=garage.city,
        email=garage.email,
        phone=garage.phone,
        unit=garage.unit.code,
        expert_email=garage.expert.email if garage.expert else None,
        visit_days=[WEEKDAYS[day] for day in sorted(garage.visit_days)],
    )


def _garage_values(payload: GarageIn) -> dict:
    errors = []
    unit = Unit.objects.filter(code=payload.unit).first()
    if unit is None:
        errors.append(field_error("unit", "unknown_unit", "Unité inconnue.", "Unknown unit."))
    expert = None
    if payload.expert_email:
        expert = User.objects.filter(email=payload.expert_email, role=Role.EXPERT).first()
        if expert is None:
            errors.append(
                field_error("expert_email", "unknown_expert", "Expert inconnu.", "Unknown expert.")
            )
    if errors:
        raise invalid(errors)
    values = payload.model_dump(exclude={"unit", "expert_email", "visit_days"})
    days = sorted({WEEKDAYS.index(day) for day in payload.visit_days})
    return {**values, "unit": unit, "expert": expert, "visit_days": days}


@router.get("/garages/{external_id}", response=documented({200: GarageIn}))
def get_garage(request, external_id: Path[ExternalId]):
    """Le garage tel que le portail le connaît, dans la forme qu'accepte PUT."""
    return _garage_out(_garage(external_id))


@router.put("/garages/{external_id}", response=documented({200: GarageIn, 201: GarageIn}))
def put_garage(request, external_id: Path[ExternalId], payload: GarageIn):
    """Crée ou met à jour un garage (201 à la création, 200 ensuite)."""
    garage, created = upsert_garage(external_id=external_id, values=_garage_values(payload))
    return Status(201 if created else 200, _garage_out(_garage(garage.external_id)))


def _repairer(garage: Garage, email: str) -> User:
    user = User.objects.filter(email=email, role=Role.REPAIRER, memberships__garage=garage)
    if (found := user.first()) is None:
        raise not_found("Compte", "Account")
    return found


def _repairer_out(user: User) -> RepairerIn:
    return RepairerIn(full_name=user.full_name, phone=user.phone, active=user.is_active)


@router.get("/garages/{external_id}/users/{email}", response=documented({200: RepairerIn}))
def get_repairer(request, external_id: Path[ExternalId], email: Path[Email]):
    """Un compte réparateur du garage, dans la forme qu'accepte PUT."""
    return _repairer_out(_repairer(_garage(external_id), email))


@router.put(
    "/garages/{external_id}/users/{email}",
    response=documented({200: RepairerIn, 201: RepairerIn}, conflict=True),
)
def put_repairer(
    request,
    external_id: Path[ExternalId],
    email: Path[Email],
    payload: RepairerPut,
):
    """Crée ou met à jour un compte réparateur ; un nouveau compte actif reçoit son invitation.

    Un compte qui appartient déjà à un autre garage n'est rattaché à celui-ci que sur demande
    explicite (`add_to_garage: true`), sinon 409 `already_in_another_garage` ; le rattachement
    est inscrit au journal du garage et annoncé par e-mail au titulaire du compte.
    """
    garage = _garage(external_id)
    existing = User.objects.filter(email=email).first()
    if existing is not None and existing.role != Role.REPAIRER:
        raise ApiError(
            409,
            "not_a_repairer",
            "Cette adresse appartient à un compte du cabinet, pas à un réparateur.",
            "This address belongs to a staff account, not to a repairer.",
        )
    joins = existing is not None and not existing.memberships.filter(garage=garage).exists()
    if joins and not payload.add_to_garage:
        raise ApiError(
            409,
            "already_in_another_garage",
            "Ce compte appartient déjà à un autre garage : pour lui ouvrir aussi les dossiers de "
            "celui-ci, renvoyez la requête avec « add_to_garage »: true.",
            "This account already belongs to another garage: send add_to_garage: true to give "
            "it this garage's dossiers as well.",
        )
    fields = payload.model_dump(exclude={"add_to_garage"})
    with transaction.atomic():
        user, created = upsert_repairer(garage=garage, email=email, **fields)
        if joins:
            attach_existing_repairer(actor=None, garage=garage, user=user, via=request.auth.name)
    return Status(201 if created else 200, _repairer_out(user))
