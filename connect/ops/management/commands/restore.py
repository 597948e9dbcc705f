"""`manage.py restore DIR [--force]`: into an empty database and storage (checksums first)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from connect.lib.plural import counted
from connect.ops import backup


class Command(BaseCommand):
    help = "Restaure une sauvegarde (manage.py backup) dans une base et un stockage vides."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Écrase une base et un stockage non vides."
        )

    def handle(self, *args, directory: Path, force: bool = False, **options):
        try:
            manifest = backup.restore(directory, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restauré depuis {directory} : base + {counted(len(manifest['files']), 'fichier')}."
        )
