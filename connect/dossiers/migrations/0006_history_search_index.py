"""PostgreSQL: the reception-date order over live and archived dossiers alike, per garage
(repairers) and over every garage (staff, whose list covers a unit).

A search from "Tous dossiers" reaches the history, and every list index (0002, 0005) starts
with `archived`, so a broad search's first matches in the list's order could not be read from
an index: it sorted all its matches to keep the first ones (queries.py SEARCH_COUNT_CAP).
EXPLAIN ANALYZE, 1,000,000 dossiers: "a" from a date in a garage of 50,000, 33 → 5 ms; over a
unit of 420,000, 200 → 2 ms; "ROBERT" over the unit (25,000 matches in the table), 88 → 13 ms.
PostgreSQL only, `IF NOT EXISTS`, as 0005.
"""

from django.db import migrations

INDEXES = {
    "dossier_garage_history_order": "(garage_id, mission_received_on DESC NULLS LAST, id DESC)",
    "dossier_history_order": "(mission_received_on DESC NULLS LAST, id DESC)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON dossiers_dossier {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_sort_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
