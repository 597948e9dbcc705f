"""Fill the dossiers' new `garage_wait_kind` / `garage_waiting_since` (dossiers 0003) from the
open waits on the garage, as deadlines.services.recompute would: the oldest one decides."""

from django.db import migrations


def backfill(apps, schema_editor):
    WaitPeriod = apps.get_model("deadlines", "WaitPeriod")
    Dossier = apps.get_model("dossiers", "Dossier")
    oldest: dict[int, tuple] = {}
    periods = WaitPeriod.objects.filter(ended_at__isnull=True, side="garage").order_by(
        "dossier_id", "since", "key"
    )
    for dossier_id, kind, since in periods.values_list("dossier_id", "kind", "since").iterator():
        oldest.setdefault(dossier_id, (kind, since))
    rows = [
        Dossier(pk=pk, garage_wait_kind=kind, garage_waiting_since=since)
        for pk, (kind, since) in oldest.items()
    ]
    Dossier.objects.bulk_update(rows, ["garage_wait_kind", "garage_waiting_since"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial"), ("dossiers", "0003_dossier_garage_wait")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
