from django.core.management.base import BaseCommand

from connect.clients.monthly import send_monthly_reports
from connect.lib.plural import counted


class Command(BaseCommand):
    help = "Envoie à chaque utilisateur client l'e-mail mensuel de ses indicateurs (une fois)."

    def handle(self, *args, **options):
        count = send_monthly_reports()
        self.stdout.write(
            f"{counted(count, 'e-mail mensuel mis', 'e-mails mensuels mis')} en file d'envoi."
        )
