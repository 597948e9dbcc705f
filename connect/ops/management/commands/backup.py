"""`manage.py backup DIR`: the database and every stored object, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from connect.lib.plural import counted
from connect.ops import backup


class Command(BaseCommand):
    help = "Sauvegarde la base (pg_dump) et tous les fichiers stockés dans DIR, avec un manifeste."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = backup.backup(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        size = manifest["database"]["size"] + sum(f["size"] for f in manifest["files"])
        self.stdout.write(
            f"Sauvegarde dans {directory} : base + {counted(len(manifest['files']), 'fichier')}, "
            f"{size} octets."
        )
