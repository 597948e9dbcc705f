"""PostgreSQL only (as dossiers 0002): the staff inbox's open threads of a unit by due date,
nothing due last, then the most recent: its first page reads ~25 entries. Created CONCURRENTLY
(the migration is not atomic): the thread table is large and written all day."""

from django.db import migrations

CREATE = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS thread_inbox_due ON messaging_thread "
    "(unit_id, due_at ASC NULLS LAST, last_message_at DESC, id DESC) WHERE status = 'open'"
)
DROP = "DROP INDEX CONCURRENTLY IF EXISTS thread_inbox_due"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction
    dependencies = [("messaging", "0001_initial")]
    operations = [migrations.RunPython(run(CREATE), run(DROP), elidable=False)]
