from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from connect.jobs.models import Delivery
from connect.jobs.queue import reap

# A delivery record matters while its job may still run again: weeks after, it can go.
DELIVERY_RECORDS_KEPT = timedelta(days=30)


class Command(BaseCommand):
    help = (
        "Put back in the queue the running jobs whose lease expired (workers also do it) and "
        "forget delivery records older than 30 days (daily, beside prune_db_task_results)"
    )

    def handle(self, *args, **options):
        reaped = reap()
        old = Delivery.objects.filter(sent_at__lt=timezone.now() - DELIVERY_RECORDS_KEPT)
        forgotten = old.delete()[0]
        self.stdout.write(
            f"{reaped} job{'' if reaped == 1 else 's'} reaped, "
            f"{forgotten} delivery record{'' if forgotten == 1 else 's'} forgotten"
        )
