from django.core.management.base import BaseCommand

from connect.jobs.queue import reap


class Command(BaseCommand):
    help = "Put back in the queue the running jobs whose lease expired (workers also do it)"

    def handle(self, *args, **options):
        self.stdout.write(f"{reap()} job(s) reaped")
