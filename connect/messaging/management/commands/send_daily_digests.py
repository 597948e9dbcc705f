from django.core.management.base import BaseCommand

from connect.messaging.notifications import send_daily_digests


class Command(BaseCommand):
    help = "Envoie le résumé quotidien des messages aux utilisateurs qui l'ont choisi."

    def handle(self, *args, **options):
        count = send_daily_digests()
        self.stdout.write(f"{count} résumé(s) mis en file d'envoi.")
