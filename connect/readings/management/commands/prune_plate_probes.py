from django.core.management.base import BaseCommand

from connect.lib.plural import counted
from connect.readings.services import prune_probes


class Command(BaseCommand):
    help = "Supprime les lectures de plaque faites sur le téléphone avant l'envoi, après un jour."

    def handle(self, *args, **options):
        removed = prune_probes()
        self.stdout.write(f"{counted(removed, 'lecture supprimée', 'lectures supprimées')}.")
