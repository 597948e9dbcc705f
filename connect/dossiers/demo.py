"""Demo dossiers across every tab, with steps, inserted in bulk (COPY on PostgreSQL)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone

from connect.accounts.models import Membership
from connect.dossiers.models import Dossier, DossierSeen, Impact, Step, StepKind
from connect.lib import demo_data
from connect.lib.working_days import next_working_day

BATCH = 5000
# Above this many dossiers the seed is a benchmark's: no file is written (documents skip it),
# so novelty dates are drawn here to give the list's novelty queries realistic work. Below it,
# novelty comes only from the documents and messages actually seeded.
BENCHMARK_SEED = 10_000
IMPACTS = [choice.value for choice in Impact] + [""]


def seed(ctx) -> None:
    garages = ctx.objects["garages"]
    advisors = {advisor.unit_id: advisor for advisor in ctx.objects["advisors"]}
    today = timezone.localdate()
    batch: list[Dossier] = []
    runs: dict[int, int] = {}  # how many dossiers each garage has had so far
    for number in range(ctx.dossier_count):
        index = _garage_index(number, ctx, len(garages))
        garage = garages[index]
        dossier = _dossier(ctx.rng, number, garage, advisors[garage.unit_id], today)
        if index < SHOWCASE_GARAGES:
            _showcase(dossier, runs.get(index, 0), today)
        runs[index] = runs.get(index, 0) + 1
        if ctx.dossier_count > BENCHMARK_SEED:
            _synthetic_activity(ctx.rng, dossier)
        batch.append(dossier)
        if len(batch) == BATCH:
            _flush(ctx.rng, batch)
            batch = []
    if batch:
        _flush(ctx.rng, batch)
    ctx.objects["dossier_count"] = ctx.dossier_count


def _garage_index(number: int, ctx, garage_count: int) -> int:
    """Dossiers in runs per garage; with `--big-garage N`, the first N in the second garage."""
    big = ctx.big_garage
    if big and garage_count > 1:
        if number < big:
            return 1
        others = [i for i in range(garage_count) if i != 1]
        per_garage = -(-(ctx.dossier_count - big) // len(others))
        return others[min((number - big) // per_garage, len(others) - 1)]
    per_garage = -(-ctx.dossier_count // garage_count)
    return min(number // per_garage, garage_count - 1)


def finish(ctx) -> None:
    """After every app has seeded: the demo users have seen most of the activity."""
    _seen(ctx.rng, ctx.objects["garages"][:3])


# The garages the demo's repairers log into (accounts/demo.py REPAIRERS: 0, 1, 2): the first
# dossiers of each put one in every flag's tab, whatever the draw (the default draw left the
# first garage's "Suivi VE en cours" empty). Set after the draws: the rest of the demo is the same.
SHOWCASE_GARAGES = 3


def _showcase(dossier: Dossier, offset: int, today) -> None:
    if offset == 0:
        dossier.ve_procedure = dossier.ve_follow_up = True
    elif offset == 1:
        dossier.remote_assessment = dossier.awaiting_ead = True
    elif offset == 2:
        dossier.awaiting_invoice, dossier.status_label = True, "EN ATTENTE FACTURE"
    elif offset == 3 and dossier.garage.visit_days:
        dossier.appointment_at = timezone.make_aware(
            datetime.combine(
                next_working_day(today + timedelta(days=2), dossier.garage.visit_days), time(10)
            )
        )
    else:
        return
    if dossier.archived and not dossier.awaiting_invoice:
        dossier.status_label = demo_data.STATUS_LABELS[0]  # live, no longer "CLOS"
    dossier.archived = False


def _dossier(rng, number, garage, advisor, today) -> Dossier:
    insurer = rng.choice(demo_data.INSURERS)
    archived = rng.random() < 0.15
    awaiting_invoice = not archived and rng.random() < 0.25
    remote_assessment = rng.random() < 0.3
    ve_procedure = rng.random() < 0.12
    received = today - timedelta(days=rng.randint(0, 400 if archived else 120))
    appointment = None
    roll = rng.random()
    if roll < 0.25 and garage.visit_days:
        appointment = _next_visit(today, garage.visit_days, rng.randint(0, 20), rng)
    elif roll < 0.55:
        appointment = _at(received + timedelta(days=rng.randint(1, 10)), rng)
    dossier = Dossier(
        reference=str(100000 + number),
        garage=garage,
        plate=demo_data.plate(rng),
        claim_reference=demo_data.claim_reference(rng, insurer),
        vehicle=rng.choice(demo_data.VEHICLES),
        insurer=insurer,
        insured_name=demo_data.insured_name(rng),
        appointment_at=appointment,
        impact=rng.choice(IMPACTS),
        repair_amount=Decimal(rng.randint(15000, 1500000)) / 100 if rng.random() < 0.85 else None,
        ve_procedure=ve_procedure,
        ve_follow_up=ve_procedure and not archived and rng.random() < 0.7,
        remote_assessment=remote_assessment,
        awaiting_ead=remote_assessment and not archived and rng.random() < 0.4,
        approved_repairer_mission=rng.random() < 0.25,
        mission_received_on=received,
        awaiting_invoice=awaiting_invoice,
        archived=archived,
        expert=garage.expert,
        advisor=advisor,
    )
    dossier.status_label = (
        "EN ATTENTE FACTURE"
        if awaiting_invoice
        else "CLOS"
        if archived
        else rng.choice(demo_data.STATUS_LABELS)
    )
    dossier.set_derived_fields()
    return dossier


def _synthetic_activity(rng, dossier) -> None:
    received = dossier.mission_received_on
    if rng.random() < 0.4:
        dossier.last_document_at = _at(received + timedelta(days=rng.randint(0, 30)), rng)
    if rng.random() < 0.25:
        dossier.last_message_at = _at(received + timedelta(days=rng.randint(0, 30)), rng)


def _seen(rng, garages) -> None:
    """Most activity already seen by the demo repairers, so that a few novelties stand out."""
    memberships = Membership.objects.filter(garage__in=garages).values_list("user_id", "garage_id")
    for user_id, garage_id in memberships:
        active = Dossier.objects.filter(garage_id=garage_id).filter(
            last_document_at__isnull=False
        ) | Dossier.objects.filter(garage_id=garage_id, last_message_at__isnull=False)
        rows = [
            DossierSeen(
                user_id=user_id,
                dossier_id=dossier_id,
                documents_seen_at=last_document_at,
                messages_seen_at=last_message_at,
            )
            for dossier_id, last_document_at, last_message_at in active.values_list(
                "id", "last_document_at", "last_message_at"
            ).iterator(chunk_size=BATCH)
            if rng.random() < 0.9
        ]
        bulk_insert(DossierSeen, rows)


def _next_visit(today, visit_days, offset, rng):
    return _at(next_working_day(today + timedelta(days=offset), visit_days), rng)


def _at(day, rng):
    moment = datetime.combine(
        day, time(rng.choice([8, 9, 10, 11, 14, 15, 16]), rng.choice([0, 30]))
    )
    return timezone.make_aware(moment)


def bulk_insert(model, objects) -> None:
    """bulk_create, through COPY on PostgreSQL: a million rows in minutes, not in an hour.

    Values go through each field's own pre_save and db preparation, as bulk_create does; the
    primary key comes from the table's sequence.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    objects = list(objects)
    if not objects:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    copy_sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
        for obj in objects:
            copy.write_row([_copy_value(f, obj) for f in fields])


def _copy_value(field, obj):
    value = field.pre_save(obj, True)
    # COPY has no DEFAULT: a field left to its database default (the ball's) gets that value.
    if isinstance(value, DatabaseDefault):
        value = getattr(field.db_default, "value", field.db_default)
    return field.get_db_prep_save(value, connection)


def _flush(rng, batch) -> None:
    bulk_insert(Dossier, batch)
    saved = Dossier.objects.filter(reference__in=[d.reference for d in batch]).values_list(
        "id", "mission_received_on", "appointment_at", "awaiting_invoice", "archived"
    )
    steps = []
    for dossier_id, received, appointment, awaiting_invoice, archived in saved:
        start = _at(received, rng)
        steps.append(
            Step(
                dossier_id=dossier_id,
                label="Réception de la mission",
                kind=StepKind.MISSION,
                occurred_at=start,
            )
        )
        steps.append(
            Step(
                dossier_id=dossier_id,
                label="Prise de contact avec le réparateur",
                kind=StepKind.OTHER,
                occurred_at=start + timedelta(hours=rng.randint(2, 30)),
            )
        )
        if appointment:
            steps.append(
                Step(
                    dossier_id=dossier_id,
                    label="Rendez-vous d'expertise fixé",
                    kind=StepKind.APPOINTMENT,
                    occurred_at=appointment,
                )
            )
        if awaiting_invoice or archived:
            steps.append(
                Step(
                    dossier_id=dossier_id,
                    label="Rapport d'expertise déposé",
                    kind=StepKind.REPORT,
                    occurred_at=start + timedelta(days=rng.randint(3, 15)),
                )
            )
    # Bulk-loaded with the dossiers (COPY): every other step is written by services.add_step.
    bulk_insert(Step, steps)
