"""PostgreSQL: a covering index for the home list's six counts and novelties.

The aggregate reads, for the user's garages, only `archived`, the tab flags, `appointment_at`,
the novelty dates and `id` (joined to the user's seen rows). With them in the index, PostgreSQL
answers with an index-only scan (the table is vacuumed, so the visibility map is set) instead of
visiting ~400 heap pages for a garage of 10,000 dossiers: ~16 ms → ~10 ms (bench/list.py).
SQLite has no INCLUDE; there the counts stay correct, not indexed. Not in Django's model state
(like the trigram index of 0002): it is a PostgreSQL-only access path, not a model property.
"""

from django.db import migrations

INDEX = "dossier_garage_counts"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier (garage_id, archived) "
    "INCLUDE (id, awaiting_invoice, ve_follow_up, remote_assessment, awaiting_ead, "
    "appointment_at, last_document_at, last_message_at)"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_list_index_nulls_last")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
