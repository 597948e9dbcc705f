"""PostgreSQL: the per-garage list index in the list's exact order (`mission_received_on DESC
NULLS LAST, id DESC`), so that the first page reads ~50 index entries instead of sorting the
garage's dossiers. Same name as in Django's state (RemoveIndex keeps working); SQLite here does
not accept NULLS LAST in an index and keeps the plain definition."""

from django.db import migrations

INDEX = "dossier_garage_list"
NULLS_LAST = "(garage_id, archived, mission_received_on DESC NULLS LAST, id DESC)"
PLAIN = "(garage_id, archived, mission_received_on DESC, id DESC)"


def _replace(columns):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"CREATE INDEX {INDEX} ON dossiers_dossier {columns}")

    return run


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_list_indexes")]

    operations = [migrations.RunPython(_replace(NULLS_LAST), _replace(PLAIN), elidable=False)]
