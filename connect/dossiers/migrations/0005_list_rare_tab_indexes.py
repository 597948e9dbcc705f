"""PostgreSQL: partial indexes for the two rarest tabs, in the list's order.

"Suivi VE en cours" and "En attente EAD" hold ~8 % and ~12 % of a garage's live dossiers: read
through the per-garage index, their first page visited ~600 dossiers to keep 50 (~8 ms at
10,000 dossiers). These indexes hold only their members, in the list's default order, so a
page reads 50 entries (~1 ms). They are small (a tenth of the table each). The other tabs are
dense enough for the per-garage index (migration 0003); "Examens à venir" depends on today's
date, which a partial index cannot express. SQLite: not created (correct, not indexed).
"""

from django.db import migrations

ORDER = "(garage_id, mission_received_on DESC NULLS LAST, id DESC)"
INDEXES = {
    "dossier_garage_ve_follow_up": "NOT archived AND ve_follow_up",
    "dossier_garage_awaiting_ead": "NOT archived AND awaiting_ead AND remote_assessment",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, condition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON dossiers_dossier {ORDER} WHERE {condition}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_list_counts_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
