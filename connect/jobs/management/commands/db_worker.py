"""`manage.py db_worker`: django-tasks-db's command, run by LeasedWorker (connect/jobs/worker.py).

connect.jobs comes before django_tasks_db in INSTALLED_APPS, so this command takes the name: every
script, unit and test that starts `db_worker` gets leases, retries and patience with the database.
"""

from django_tasks_db.management.commands import db_worker

from connect.jobs.worker import LeasedWorker


class Command(db_worker.Command):
    help = "Run a database background worker (leases, retries, reaper)"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
