"""`manage.py prune_batch_jobs [--days 14]`: finished batch jobs (connect/api/batches.py) go.

A job's items are dropped when it is applied; its row (state, result, errors per item) stays
for its status URL and goes after `--days`. A job still queued is never pruned.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from connect.api.models import BatchJob


class Command(BaseCommand):
    help = "Supprime les lots en tâche de fond terminés depuis plus de N jours."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14)

    def handle(self, *args, days=14, **options):
        old = timezone.now() - timedelta(days=days)
        deleted, _ = (
            BatchJob.objects.exclude(state=BatchJob.State.QUEUED)
            .filter(finished_at__lt=old)
            .delete()
        )
        self.stdout.write(f"{deleted} lot(s) supprimé(s)")
