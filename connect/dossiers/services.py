"""Dossiers as the core claims system sends them: create or update, one at a time or in bulk.

Values are model attribute names (`garage_id`, `expert_id`, …) already resolved and validated by
the caller. Visibility derives from the dossier's garage, so changing `garage_id` moves the
dossier, its documents and its threads to the new garage's users at once.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from connect.dossiers.models import Dossier, Step

# Columns the core system sends as they are stored (the API's fields of the same name).
PLAIN_FIELDS = (
    "plate",
    "claim_reference",
    "vehicle",
    "insurer",
    "status_label",
    "insured_name",
    "appointment_at",
    "impact",
    "ve_procedure",
    "ve_follow_up",
    "remote_assessment",
    "awaiting_ead",
    "approved_repairer_mission",
    "mission_received_on",
    "awaiting_invoice",
    "archived",
)
SYNCED_FIELDS = (*PLAIN_FIELDS, "garage_id", "repair_amount", "expert_id", "advisor_id")
WRITTEN_FIELDS = (*SYNCED_FIELDS, "plate_key", "search_text", "updated_at")


def _apply(dossier: Dossier, values: dict) -> bool:
    """Set the values; True when something changed (then the search keys are recomputed)."""
    changed = False
    for name, value in values.items():
        if getattr(dossier, name) != value:
            setattr(dossier, name, value)
            changed = True
    if changed:
        dossier.set_derived_fields()
        dossier.updated_at = timezone.now()
    return changed


@transaction.atomic
def upsert_dossier(*, reference: str, values: dict) -> tuple[Dossier, bool]:
    """Create or update the dossier `reference`; returns it and whether it was created."""
    dossier = Dossier.objects.select_for_update().filter(reference=reference).first()
    if dossier is not None:
        if _apply(dossier, values):
            dossier.save(update_fields=WRITTEN_FIELDS)
        return dossier, False
    dossier = Dossier(reference=reference, **values)
    dossier.set_derived_fields()
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:  # created meanwhile by a concurrent call: update it instead
        return upsert_dossier(reference=reference, values=values)[0], False
    return dossier, True


@transaction.atomic
def upsert_dossiers(*, rows: dict[str, dict]) -> tuple[int, int, int]:
    """Create or update many dossiers in a few queries: (created, updated, unchanged)."""
    existing = Dossier.objects.select_for_update().in_bulk(list(rows), field_name="reference")
    to_create, to_update = [], []
    for reference, values in rows.items():
        dossier = existing.get(reference)
        if dossier is None:
            dossier = Dossier(reference=reference, **values)
            dossier.set_derived_fields()
            to_create.append(dossier)
        elif _apply(dossier, values):
            dossier.pk = None  # written below as an upsert on the reference, like new ones
            to_update.append(dossier)
    # One INSERT … ON CONFLICT (reference) DO UPDATE for new and changed rows alike: far faster
    # than bulk_update's CASE expressions, and a row a concurrent batch created meanwhile is
    # updated instead of failing.
    Dossier.objects.bulk_create(
        to_create + to_update,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["reference"],
        update_fields=list(WRITTEN_FIELDS),
    )
    return len(to_create), len(to_update), len(rows) - len(to_create) - len(to_update)


@transaction.atomic
def add_step(*, dossier: Dossier, label: str, kind: str, occurred_at) -> Step:
    return Step.objects.create(dossier=dossier, label=label, kind=kind, occurred_at=occurred_at)
