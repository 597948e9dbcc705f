from django.core.management.base import BaseCommand

from connect.lib.plural import counted
from connect.messaging.notifications import send_daily_digests


class Command(BaseCommand):
    help = "Envoie le résumé quotidien des messages aux utilisateurs qui l'ont choisi."

    def handle(self, *args, **options):
        count = send_daily_digests()
        self.stdout.write(f"{counted(count, 'résumé mis', 'résumés mis')} en file d'envoi.")
