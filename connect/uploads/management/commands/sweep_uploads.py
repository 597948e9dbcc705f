from django.core.management.base import BaseCommand

from connect.uploads.services import sweep_expired


class Command(BaseCommand):
    help = "Supprime les envois par morceaux expirés (inachevés ou jamais joints)."

    def handle(self, *args, **options):
        removed = sweep_expired()
        self.stdout.write(f"{removed} envoi(s) expiré(s) supprimé(s).")
