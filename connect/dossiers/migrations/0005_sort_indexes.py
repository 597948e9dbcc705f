"""PostgreSQL: an index for every column the list sorts by, per garage, in the list's order.

A sort by another column than the reception date read every live dossier of the garage and
kept the first 50 (a top-N sort): its cost grew with the garage (EXPLAIN ANALYZE, 200,000
dossiers, a garage of 50,000: sort by amount 63 ms, by insured name 79 ms). With
`(garage_id, archived, <column>, id)` the page is the first 50 entries of the index, read
forwards for an ascending sort and backwards for a descending one (queries.py `_ordering`: the
id follows the column's direction). A nullable column has one index per direction, empty values
last in both. The reception date descending is `dossier_garage_list` (0002).

`dossier_list_rdv` is the appointment order over every garage, for staff: "Examens à venir" over
a whole unit walks it from today instead of sorting the unit's future appointments.
PostgreSQL only, as 0002; `IF NOT EXISTS`, so that a bench database indexed by hand migrates.
"""

from django.db import migrations

NOT_NULL = [
    "reference",
    "plate_key",
    "claim_reference",
    "vehicle",
    "insurer",
    "status_label",
    "insured_name",
    "impact",
    "ve_procedure",
]
NULLABLE = ["appointment_at", "repair_amount", "mission_received_on"]


def _indexes() -> dict[str, str]:
    indexes = {
        f"dossier_sort_{column}": f"(garage_id, archived, {column}, id)" for column in NOT_NULL
    }
    for column in NULLABLE:
        indexes[f"dossier_sort_{column}"] = f"(garage_id, archived, {column} ASC NULLS LAST, id)"
        if column != "mission_received_on":  # descending: dossier_garage_list
            indexes[f"dossier_sort_{column}_desc"] = (
                f"(garage_id, archived, {column} DESC NULLS LAST, id DESC)"
            )
    indexes["dossier_list_rdv"] = "(archived, appointment_at ASC NULLS LAST, id)"
    return indexes


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in _indexes().items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON dossiers_dossier {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in _indexes():
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_ball_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
