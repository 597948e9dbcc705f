"""`manage.py run_scheduler [--once]`: the daily jobs (connect/ops/schedule.py), forever."""

import signal
import threading

from django.core.management.base import BaseCommand

from connect.ops import schedule


class Command(BaseCommand):
    help = "Lance les tâches quotidiennes (résumés, nettoyage, purge) à leur heure."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Une passe, puis s'arrête.")
        parser.add_argument("--interval", type=float, default=60.0)

    def handle(self, *args, once=False, interval=60.0, **options):
        stop = threading.Event()
        # systemd / make serve stop it with SIGTERM: finish the job in hand, then leave.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        while True:
            for command in schedule.run_due():
                self.stdout.write(f"{command} : fait")
            if once or stop.wait(interval):
                return
