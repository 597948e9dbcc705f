# The notification preference moves down from messaging to accounts (issue 23): accounts takes
# over the model's state on messaging's table, rows untouched; 0003 then renames the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        # The table is created by messaging's 0001; it must exist before accounts owns it.
        ("messaging", "0002_thread_due"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("mode", models.CharField(choices=[("immediate", "À chaque message"), ("daily", "Un résumé par jour"), ("none", "Aucun e-mail")], default="immediate", max_length=10, verbose_name="e-mails")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="notification_preference", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "messaging_notificationpreference"},
                ),
            ],
            database_operations=[],
        ),
    ]
