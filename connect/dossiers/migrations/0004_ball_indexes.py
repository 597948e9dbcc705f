"""PostgreSQL access paths for the ball (connect/deadlines), beside those of 0002.

- `dossier_garage_counts` rebuilt with `ball` among its included columns, so that the counts
  aggregate (now with "À traiter") stays an index-only scan.
- `dossier_garage_to_handle`: partial index for the "À traiter" tab in the list's order, as for
  the two rarest tabs.
- `dossier_garage_ball_order`: the "À qui la main" sort (due date, then since, NULLS LAST) per
  garage, so that its first page reads ~50 entries.
"""

from django.db import migrations

COUNTS = (
    "CREATE INDEX dossier_garage_counts ON dossiers_dossier (garage_id, archived) "
    "INCLUDE (id, awaiting_invoice, ve_follow_up, remote_assessment, awaiting_ead, "
    "appointment_at, last_document_at, last_message_at{extra})"
)
CREATE = [
    "DROP INDEX IF EXISTS dossier_garage_counts",
    COUNTS.format(extra=", ball"),
    "CREATE INDEX IF NOT EXISTS dossier_garage_to_handle ON dossiers_dossier "
    "(garage_id, mission_received_on DESC NULLS LAST, id DESC) "
    "WHERE NOT archived AND ball = 'garage'",
    "CREATE INDEX IF NOT EXISTS dossier_garage_ball_order ON dossiers_dossier "
    "(garage_id, archived, due_at, waiting_since, id)",
]
DROP = [
    "DROP INDEX IF EXISTS dossier_garage_ball_order",
    "DROP INDEX IF EXISTS dossier_garage_to_handle",
    "DROP INDEX IF EXISTS dossier_garage_counts",
    COUNTS.format(extra=""),
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_ball")]
    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
