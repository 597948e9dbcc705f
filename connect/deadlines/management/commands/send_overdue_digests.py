from django.core.management.base import BaseCommand

from connect.deadlines.digest import send_overdue_digests
from connect.lib.plural import counted


class Command(BaseCommand):
    help = "Envoie à chaque manager d'unité la liste quotidienne des attentes en retard."

    def handle(self, *args, **options):
        count = send_overdue_digests()
        digests = counted(count, "résumé des retards mis", "résumés des retards mis")
        self.stdout.write(f"{digests} en file d'envoi.")
