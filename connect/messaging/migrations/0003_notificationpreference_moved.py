# The notification preference now belongs to accounts (accounts 0002 took its state, on the same
# table): messaging forgets the model, the database keeps the table and its rows.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_thread_due"),
        ("accounts", "0002_notificationpreference"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="NotificationPreference")],
            database_operations=[],
        ),
    ]
