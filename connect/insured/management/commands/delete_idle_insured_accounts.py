from django.core.management.base import BaseCommand

from connect.insured.personal_data import delete_idle_accounts
from connect.lib.plural import counted


class Command(BaseCommand):
    help = "Supprime les comptes assurés sans dossier suivi ni visite depuis 24 mois."

    def handle(self, *args, **options):
        deleted = delete_idle_accounts()
        self.stdout.write(
            f"{counted(deleted, 'compte assuré supprimé', 'comptes assurés supprimés')}."
        )
