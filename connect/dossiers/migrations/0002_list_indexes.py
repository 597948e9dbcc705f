"""Indexes of the home list: per-garage default order (all databases) and, on PostgreSQL only,
a trigram index so that substring search (`search_text LIKE '%…%'`) does not scan the table.
SQLite has no pg_trgm: there the search stays correct, not indexed."""

from django.db import migrations, models

TRIGRAM_INDEX = "dossier_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
        "ON dossiers_dossier USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["garage", "archived", "-mission_received_on", "-id"],
                name="dossier_garage_list",
            ),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
