# The moved preference's table takes accounts' name (rows, keys and constraints follow).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_notificationpreference"),
    ]

    operations = [
        migrations.AlterModelTable(name="notificationpreference", table=None),
    ]
