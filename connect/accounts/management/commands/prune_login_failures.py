"""`python manage.py prune_login_failures`: drops failures older than any throttle window."""

from django.core.management.base import BaseCommand

from connect.accounts.lockout import prune
from connect.lib.plural import counted


class Command(BaseCommand):
    help = "Supprime les échecs de connexion plus anciens que 24 heures (à lancer chaque jour)."

    def handle(self, *args, **options):
        removed = prune()
        self.stdout.write(
            f"{counted(removed, 'échec de connexion supprimé', 'échecs de connexion supprimés')}."
        )
