"""Dossiers as the core claims system sends them: create or update, one at a time or in bulk.

Values are model attribute names (`garage_id`, `expert_id`, …) already resolved and validated by
the caller. Visibility derives from the dossier's garage, so changing `garage_id` moves the
dossier, its documents and its threads to the new garage's users at once.
"""

import json
import uuid
from functools import cache
from types import SimpleNamespace

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from connect.dossiers.kept import keep
from connect.dossiers.models import Dossier, Step
from connect.dossiers.touch import recompute_derived, touch_dossiers, touch_garages
from connect.lib.ids import any_of

# Columns the core system sends as they are stored (the API's fields of the same name).
PLAIN_FIELDS = (
    "plate",
    "vin",
    "claim_reference",
    "vehicle",
    "insurer",
    "status_label",
    "insured_name",
    "insured_email",
    "insured_mobile",
    "insured_access",
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
    "client_region",
)
SYNCED_FIELDS = (
    *PLAIN_FIELDS,
    "garage_id",
    "repair_amount",
    "expert_id",
    "advisor_id",
    "client_id",
)
WRITTEN_FIELDS = (*SYNCED_FIELDS, "plate_key", "search_text", "updated_at")
# Set from `archived` by the writer: when it turns on (kept while it stays on), None when off.
ARCHIVED_AT = "archived_at"


def _apply(dossier: Dossier, values: dict) -> bool:
    """Set the values; True when something changed (then the search keys are recomputed)."""
    changed = False
    for name, value in values.items():
        if getattr(dossier, name) != value:
            setattr(dossier, name, value)
            changed = True
    if dossier.archived != (dossier.archived_at is not None):
        dossier.archived_at = timezone.now() if dossier.archived else None
    if changed:
        dossier.set_derived_fields()
        dossier.updated_at = timezone.now()
    return changed


@transaction.atomic
def upsert_dossier(*, reference: str, values: dict) -> tuple[Dossier, bool]:
    """Create or update the dossier `reference`; returns it and whether it was created."""
    dossier = Dossier.objects.select_for_update().filter(reference=reference).first()
    if dossier is not None:
        before = dossier.garage_id
        if _apply(dossier, values):
            dossier.save(update_fields=(*WRITTEN_FIELDS, ARCHIVED_AT))
            touch_dossiers([dossier.pk], garage_ids=[before, dossier.garage_id])
        return dossier, False
    dossier = Dossier(reference=reference, **values)
    dossier.archived_at = timezone.now() if dossier.archived else None
    dossier.set_derived_fields()
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:  # created meanwhile by a concurrent call: update it instead
        return upsert_dossier(reference=reference, values=values)[0], False
    touch_dossiers([dossier.pk], garage_ids=[dossier.garage_id])
    return dossier, True


INSERTED_FIELDS = ("reference", "code", "created_at", *WRITTEN_FIELDS, ARCHIVED_AT)


def _field(name: str) -> models.Field:
    field = Dossier._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column  # a concrete column, not a relation
    return field


def _upsert_sql(rows: str) -> str:
    """INSERT … ON CONFLICT (reference) DO UPDATE, only where a synced column differs."""
    quote = connection.ops.quote_name
    table = quote(Dossier._meta.db_table)
    column = {name: quote(str(_field(name).column)) for name in INSERTED_FIELDS}
    synced = [column[name] for name in SYNCED_FIELDS]
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"  # row values
    return (
        f"INSERT INTO {table} ({', '.join(column.values())}) {rows} "
        f"ON CONFLICT ({column['reference']}) DO UPDATE SET "
        + ", ".join(f"{column[name]} = excluded.{column[name]}" for name in WRITTEN_FIELDS)
        # The first archiving date stays while the dossier stays archived.
        + f", {column[ARCHIVED_AT]} = CASE WHEN excluded.{column['archived']} "
        f"THEN COALESCE({table}.{column[ARCHIVED_AT]}, excluded.{column[ARCHIVED_AT]}) END"
        + f" WHERE ({', '.join(f'{table}.{name}' for name in synced)}) {differs} "
        f"({', '.join(f'excluded.{name}' for name in synced)})"
    )


@cache
def _postgresql_sql() -> str:
    # The rows travel as one JSON parameter turned back into typed rows by PostgreSQL: a fixed
    # statement whatever the row count, and one string to bind instead of 23,000 values.
    columns = ", ".join(
        f"{name} {Dossier._meta.get_field(name).db_type(connection)}" for name in INSERTED_FIELDS
    )
    rows = f"SELECT * FROM json_to_recordset(%s::json) AS row({columns})"  # noqa: S608
    # RETURNING tells inserted rows (xmax = 0) from updated ones, and which (for the touch path);
    # unchanged rows return nothing.
    # Identifiers come from the model, values are a parameter.
    return _upsert_sql(rows) + " RETURNING (xmax = 0), reference, id"  # noqa: S608


@transaction.atomic
def upsert_dossiers(*, rows: dict[str, dict]) -> tuple[int, int, int]:
    """Create or update many dossiers: (created, updated, unchanged).

    One INSERT … ON CONFLICT (reference) DO UPDATE … WHERE (synced columns) IS DISTINCT FROM
    (the sent ones), from plain tuples: rows that did not change are not written (their
    `updated_at` stays), a row a concurrent batch created meanwhile is updated instead of
    failing, and no model instance is built.
    """
    now = timezone.now()
    # Where each existing dossier was: a written row touches the garage it is in and the one
    # it left (a dossier can move); their counts are kept from the dossiers' marks (kept.py).
    previous = dict(
        Dossier.objects.filter(reference__in=any_of(rows, sql_type="text")).values_list(
            "reference", "garage_id"
        )
    )
    params = []
    for reference, values in rows.items():
        derived = SimpleNamespace(reference=reference, **values)
        # The model's own search keys, without a model.
        Dossier.set_derived_fields(derived)  # type: ignore[arg-type]
        params.append(
            (
                reference,
                uuid.uuid4(),
                now,
                *[values[name] for name in SYNCED_FIELDS],
                derived.plate_key,
                derived.search_text,
                now,
                now if values["archived"] else None,
            )
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            records = [dict(zip(INSERTED_FIELDS, row, strict=True)) for row in params]
            cursor.execute(_postgresql_sql(), [json.dumps(records, default=str)])
            returned = cursor.fetchall()
        inserted = [row[0] for row in returned]
        changed = [row[1] for row in returned]
        _touch_written(
            [row[2] for row in returned],
            garage_ids={rows[ref]["garage_id"] for ref in changed}
            | {previous.get(ref) for ref in changed},
        )
        created, updated = sum(inserted), len(inserted) - sum(inserted)
        return created, updated, len(rows) - created - updated
    # Other databases: upsert within the parameter cap (no RETURNING here: every dossier of the
    # batch is touched, written or not, once they all exist).
    existing = set(previous)
    fields = [_field(name) for name in INSERTED_FIELDS]
    prepared = [
        [
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        ]
        for row in params
    ]
    per_statement = max(1, (connection.features.max_query_params or 999) // len(fields))
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), per_statement):
            chunk = prepared[start : start + per_statement]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(chunk))
            cursor.execute(_upsert_sql(f"VALUES {placeholders}"), [v for row in chunk for v in row])
            written += cursor.rowcount
    ids = Dossier.objects.filter(reference__in=list(rows)).values_list("pk", flat=True)
    _touch_written(
        list(ids),
        garage_ids={values["garage_id"] for values in rows.values()} | set(previous.values()),
    )
    created = len(rows) - len(existing)
    return created, written - created, len(rows) - written


def _touch_written(ids, *, garage_ids) -> None:
    """touch_dossiers for a batch: derived state (the ball) recomputed, then the written
    dossiers' differences applied to the kept counts (kept.py); the counts' version of a garage
    is replaced only if its counts changed. A batch that rewrites labels (as bench/load.py's
    does, every 5 s over every garage) keeps them valid."""
    counted = keep(recompute_derived(ids))
    touch_garages(garage_ids, counted=counted)


@transaction.atomic
def add_step(*, dossier: Dossier, label: str, kind: str, occurred_at) -> Step:
    """A step of the dossier's history: the one writer of steps (the API, exams, ESD)."""
    return Step.objects.create(dossier=dossier, label=label, kind=kind, occurred_at=occurred_at)
