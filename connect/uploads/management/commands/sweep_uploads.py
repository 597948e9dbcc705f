from django.core.management.base import BaseCommand

from connect.lib.plural import counted
from connect.uploads.services import sweep_expired


class Command(BaseCommand):
    help = "Supprime les envois par morceaux expirés (inachevés ou jamais joints)."

    def handle(self, *args, **options):
        removed = sweep_expired()
        swept = counted(removed, "envoi expiré supprimé", "envois expirés supprimés")
        self.stdout.write(f"{swept}.")
