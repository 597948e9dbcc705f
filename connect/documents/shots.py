"""Guided capture (prise de vue guidée): the default shot lists and the list for a message.

DEFAULT_SHOT_LISTS is the one declarative table of the defaults; the initial migration seeds
it and staff adjust the rows in the admin from then on (the database is the truth at run time).
"""

from dataclasses import dataclass

from connect.documents.models import DocumentType, Shot, ShotList


@dataclass(frozen=True)
class ShotDefault:
    key: str
    label: str
    instruction: str
    required: bool = True
    several: bool = False
    confirm_plate: bool = False
    doc_type: str = DocumentType.PHOTO


PLATE = ShotDefault(
    "plaque",
    "Plaque",
    "Plaque avant, de face, lisible en entier.",
    confirm_plate=True,
)
FRONT_LEFT = ShotDefault(
    "avant-gauche",
    "¾ avant gauche",
    "Reculez de trois à quatre mètres : l'avant et le côté gauche en entier.",
)
REAR_RIGHT = ShotDefault(
    "arriere-droit",
    "¾ arrière droit",
    "Reculez de trois à quatre mètres : l'arrière et le côté droit en entier.",
)
ODOMETER = ShotDefault(
    "compteur", "Compteur", "Contact mis, le kilométrage lisible sur le tableau de bord."
)
VIN = ShotDefault(
    "vin",
    "N° de série (VIN)",
    "Le numéro frappé sous le pare-brise ou sur le montant de porte, les 17 caractères lisibles.",
)
DAMAGE = ShotDefault(
    "zone-endommagee",
    "Zone endommagée",
    "Une photo par zone endommagée, à un mètre environ ; ajoutez-en autant que de zones.",
    several=True,
)

# subject key, awaiting EAD only, label, shots in order.
DEFAULT_SHOT_LISTS: tuple[tuple[str, bool, str, tuple[ShotDefault, ...]], ...] = (
    (
        "esd",
        False,
        "Examen sans déplacement",
        (PLATE, FRONT_LEFT, REAR_RIGHT, ODOMETER, VIN, DAMAGE),
    ),
    # A message to the expert on an EAD dossier may be a plain question: the shots are offered,
    # none is required by default (staff may require some in the admin).
    (
        "expert",
        True,
        "Matériel EAD",
        tuple(
            ShotDefault(**{**shot.__dict__, "required": False})
            for shot in (PLATE, FRONT_LEFT, REAR_RIGHT, ODOMETER, DAMAGE)
        ),
    ),
    (
        "suivi-ve",
        False,
        "Examen VE",
        (
            ShotDefault(**{**PLATE.__dict__, "required": False}),
            ShotDefault(**{**ODOMETER.__dict__, "required": False}),
            ShotDefault(
                "zone-reparee",
                "Zone réparée",
                "Une photo par zone réparée ou en cours de réparation.",
                required=False,
                several=True,
            ),
        ),
    ),
)


def seed_defaults(shot_list_model=ShotList, shot_model=Shot) -> None:
    """Create the default lists that do not exist yet (the data migration passes its models)."""
    for subject, ead_only, label, shots in DEFAULT_SHOT_LISTS:
        shot_list, created = shot_list_model.objects.get_or_create(
            subject=subject, awaiting_ead_only=ead_only, defaults={"label": label}
        )
        if not created:
            continue
        shot_model.objects.bulk_create(
            shot_model(shot_list=shot_list, order=(index + 1) * 10, **shot.__dict__)
            for index, shot in enumerate(shots)
        )


def shot_list_for(subject_key: str, dossier) -> ShotList | None:
    """The active list for a message of this subject on this dossier, its shots prefetched;
    an EAD list wins over the general one on a dossier awaiting its EAD material."""
    awaiting_ead = bool(dossier.remote_assessment and dossier.awaiting_ead)
    lists = ShotList.objects.filter(subject=subject_key, active=True).prefetch_related("shots")
    if not awaiting_ead:
        lists = lists.filter(awaiting_ead_only=False)
    return lists.order_by("-awaiting_ead_only").first()
