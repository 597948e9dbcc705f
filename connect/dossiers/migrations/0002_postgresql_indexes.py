"""PostgreSQL access paths of the home list, outside Django's model state.

SQLite has none of these features (pg_trgm, NULLS LAST in an index, INCLUDE, partial indexes in
this form): there every query stays correct, not indexed. Each index is a PostgreSQL-only access
path, not a property of the model; what each one buys is measured in bench/README.md
("Indexes"). Created CONCURRENTLY (the migration is not atomic): on a live table of millions of
dossiers a plain CREATE INDEX would block every write until it finished.

- `dossier_search_trgm`: trigram GIN index, the substring search (`search_text LIKE '%…%'`).
- `dossier_garage_list` (declared on the model, same name so that a RemoveIndex keeps working)
  rebuilt in the list's exact order (`mission_received_on DESC NULLS LAST, id DESC`).
- `dossier_garage_counts`: covering index for the counts and novelties (index-only scan).
- `dossier_garage_ve_follow_up`, `dossier_garage_awaiting_ead`, `dossier_garage_to_handle`:
  partial indexes for the rarest tabs, in the list's order.
- `dossier_garage_ball_order`: the "À qui la main" sort.
- `dossier_list_order`, `dossier_list_rdv`: the list's orders over every garage (staff).
- `dossier_sort_<column>[_desc]`: one per sortable column, per garage.
- `dossier_garage_history_order`, `dossier_history_order`: live and archived dossiers by
  reception date (history search).
"""

from django.db import migrations

ORDER = "(garage_id, mission_received_on DESC NULLS LAST, id DESC)"
SORTED_NOT_NULL = [
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
SORTED_NULLABLE = ["appointment_at", "repair_amount", "mission_received_on"]


def _indexes() -> dict[str, str]:
    """Name → what follows `ON dossiers_dossier`."""
    indexes = {
        "dossier_search_trgm": "USING gin (search_text gin_trgm_ops)",
        "dossier_garage_list": "(garage_id, archived, mission_received_on DESC NULLS LAST, "
        "id DESC)",
        "dossier_garage_counts": "(garage_id, archived) INCLUDE (id, awaiting_invoice, "
        "ve_follow_up, remote_assessment, awaiting_ead, appointment_at, last_document_at, "
        "last_message_at, ball)",
        "dossier_garage_ve_follow_up": f"{ORDER} WHERE NOT archived AND ve_follow_up",
        "dossier_garage_awaiting_ead": f"{ORDER} "
        "WHERE NOT archived AND awaiting_ead AND remote_assessment",
        "dossier_garage_to_handle": f"{ORDER} WHERE NOT archived AND ball = 'garage'",
        "dossier_garage_ball_order": "(garage_id, archived, due_at, waiting_since, id)",
        "dossier_list_order": "(archived, mission_received_on DESC NULLS LAST, id DESC)",
        "dossier_list_rdv": "(archived, appointment_at ASC NULLS LAST, id)",
        "dossier_garage_history_order": ORDER,
        "dossier_history_order": "(mission_received_on DESC NULLS LAST, id DESC)",
    }
    for column in SORTED_NOT_NULL:
        indexes[f"dossier_sort_{column}"] = f"(garage_id, archived, {column}, id)"
    for column in SORTED_NULLABLE:
        indexes[f"dossier_sort_{column}"] = f"(garage_id, archived, {column} ASC NULLS LAST, id)"
        if column != "mission_received_on":  # descending: dossier_garage_list
            indexes[f"dossier_sort_{column}_desc"] = (
                f"(garage_id, archived, {column} DESC NULLS LAST, id DESC)"
            )
    return indexes


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # Django's state declares dossier_garage_list without NULLS LAST: replaced in place.
    schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS dossier_garage_list")
    for name, definition in _indexes().items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON dossiers_dossier {definition}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in reversed(list(_indexes())):
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    schema_editor.execute(
        "CREATE INDEX CONCURRENTLY dossier_garage_list ON dossiers_dossier "
        "(garage_id, archived, mission_received_on DESC, id DESC)"
    )


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
