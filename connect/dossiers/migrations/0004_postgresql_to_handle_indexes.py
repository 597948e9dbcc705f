"""PostgreSQL access paths of "À traiter" as each reader has it (issue 24), outside Django's
model state like 0002: the garage's tab is what the garage owes (`garage_waiting_since`), even
while the firm also owes something; the staff's is what waits on the firm (`ball = 'firm'`).

- `dossier_garage_to_handle`: rebuilt on the garage's own wait (0002 had `ball = 'garage'`).
- `dossier_garage_firm_to_handle`: the staff's tab, in the list's order.
- `dossier_garage_counts`: the counts' covering index, now with `garage_waiting_since`.
"""

from django.db import migrations

ORDER = "(garage_id, mission_received_on DESC NULLS LAST, id DESC)"
COUNTED = (
    "(garage_id, archived) INCLUDE (id, awaiting_invoice, ve_follow_up, remote_assessment, "
    "awaiting_ead, appointment_at, last_document_at, last_message_at, ball{})"
)


def _indexes() -> dict[str, str]:
    """Name → what follows `ON dossiers_dossier`."""
    return {
        "dossier_garage_to_handle": f"{ORDER} "
        "WHERE NOT archived AND garage_waiting_since IS NOT NULL",
        "dossier_garage_firm_to_handle": f"{ORDER} WHERE NOT archived AND ball = 'firm'",
        "dossier_garage_counts": COUNTED.format(", garage_waiting_since"),
    }


def _before() -> dict[str, str]:
    return {
        "dossier_garage_to_handle": f"{ORDER} WHERE NOT archived AND ball = 'garage'",
        "dossier_garage_counts": COUNTED.format(""),
    }


def _replace(schema_editor, indexes: dict[str, str]) -> None:
    for name, definition in indexes.items():
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY {name} ON dossiers_dossier {definition}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _replace(schema_editor, _indexes())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS dossier_garage_firm_to_handle")
        _replace(schema_editor, _before())


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("dossiers", "0003_dossier_garage_wait")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
