"""`python manage.py prune_login_failures`: drops failures older than any throttle window."""

from django.core.management.base import BaseCommand

from connect.accounts.lockout import prune


class Command(BaseCommand):
    help = "Supprime les échecs de connexion plus anciens que 24 heures (à lancer chaque jour)."

    def handle(self, *args, **options):
        self.stdout.write(f"{prune()} échec(s) de connexion supprimé(s).")
