from django.core.management.base import BaseCommand

from connect.deadlines.digest import send_overdue_digests


class Command(BaseCommand):
    help = "Envoie à chaque manager d'unité la liste quotidienne des attentes en retard."

    def handle(self, *args, **options):
        count = send_overdue_digests()
        self.stdout.write(f"{count} résumé(s) des retards mis en file d'envoi.")
