"""PostgreSQL access paths of the home list, outside Django's model state.

SQLite has none of these features (pg_trgm, NULLS LAST in an index, INCLUDE, partial indexes in
this form): there every query stays correct, not indexed. Each index is a PostgreSQL-only access
path, not a property of the model; figures from bench/list.py (1,000,000 dossiers, 10,000 in the
measured garage).

- `dossier_search_trgm`: a trigram GIN index so that the substring search
  (`search_text LIKE '%…%'`) does not scan the table.
- `dossier_garage_list` (declared on the model) rebuilt in the list's exact order
  (`mission_received_on DESC NULLS LAST, id DESC`): the first page reads ~50 index entries
  instead of sorting the garage's dossiers. Same name as in Django's state, so a RemoveIndex
  keeps working.
- `dossier_garage_counts`: covering index for the six counts and novelties (only `archived`,
  the tab flags, `appointment_at`, the novelty dates and `id` are read): an index-only scan
  instead of ~400 heap pages for 10,000 dossiers, ~16 ms → ~10 ms.
- `dossier_garage_ve_follow_up`, `dossier_garage_awaiting_ead`: partial indexes for the two
  rarest tabs (~8 % and ~12 % of a garage's live dossiers), in the list's order: their first
  page reads 50 entries instead of visiting ~600 dossiers (~8 ms → ~1 ms). "Examens à venir"
  depends on today's date, which a partial index cannot express.
- `dossier_list_order`: the list's order over every garage, for staff, whose list covers a
  whole unit: PostgreSQL walks it and keeps the unit's rows until a page is full, instead of
  reading and sorting every live dossier (EXPLAIN ANALYZE, 200,000 dossiers, a unit of 110,000:
  305 ms → 0.5 ms for the first page). Repairers' lists keep the per-garage index.
"""

from django.db import migrations

ORDER = "(garage_id, mission_received_on DESC NULLS LAST, id DESC)"
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS dossier_search_trgm "
    "ON dossiers_dossier USING gin (search_text gin_trgm_ops)",
    "DROP INDEX IF EXISTS dossier_garage_list",
    "CREATE INDEX dossier_garage_list ON dossiers_dossier "
    "(garage_id, archived, mission_received_on DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS dossier_garage_counts ON dossiers_dossier (garage_id, archived) "
    "INCLUDE (id, awaiting_invoice, ve_follow_up, remote_assessment, awaiting_ead, "
    "appointment_at, last_document_at, last_message_at)",
    f"CREATE INDEX IF NOT EXISTS dossier_garage_ve_follow_up ON dossiers_dossier {ORDER} "
    "WHERE NOT archived AND ve_follow_up",
    f"CREATE INDEX IF NOT EXISTS dossier_garage_awaiting_ead ON dossiers_dossier {ORDER} "
    "WHERE NOT archived AND awaiting_ead AND remote_assessment",
    "CREATE INDEX IF NOT EXISTS dossier_list_order ON dossiers_dossier "
    "(archived, mission_received_on DESC NULLS LAST, id DESC)",
]
DROP = [
    "DROP INDEX IF EXISTS dossier_list_order",
    "DROP INDEX IF EXISTS dossier_garage_awaiting_ead",
    "DROP INDEX IF EXISTS dossier_garage_ve_follow_up",
    "DROP INDEX IF EXISTS dossier_garage_counts",
    "DROP INDEX IF EXISTS dossier_garage_list",
    "CREATE INDEX dossier_garage_list ON dossiers_dossier "
    "(garage_id, archived, mission_received_on DESC, id DESC)",
    "DROP INDEX IF EXISTS dossier_search_trgm",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
