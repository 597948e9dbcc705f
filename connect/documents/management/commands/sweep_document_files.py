from datetime import timedelta

from django.core.management.base import BaseCommand

from connect.documents.services import sweep_orphan_files
from connect.lib.plural import counted


class Command(BaseCommand):
    help = "Supprime les fichiers stockés qu'aucun document ne référence (transactions annulées)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours", type=int, default=6, help="âge minimal des fichiers (heures)"
        )

    def handle(self, *args, older_than_hours, **options):
        deleted = sweep_orphan_files(older_than=timedelta(hours=older_than_hours))
        self.stdout.write(
            f"{counted(len(deleted), 'fichier orphelin supprimé', 'fichiers orphelins supprimés')}."
        )
