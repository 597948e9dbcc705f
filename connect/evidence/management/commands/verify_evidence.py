from django.core.management.base import BaseCommand, CommandError

from connect.evidence.verification import verify_pack


class Command(BaseCommand):
    help = (
        "Check a dossier de preuves (ZIP) offline with the portal's keys: the manifest's "
        "signature, every file's hash, each document's seal and the events' chain."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("pack", help="path of the ZIP")

    def handle(self, *args, **options) -> None:
        failures = verify_pack(options["pack"])
        if failures:
            raise CommandError("\n".join(f"ÉCHEC : {failure}" for failure in failures))
        self.stdout.write(
            "Dossier de preuves vérifié : signature, fichiers, sceaux et chaîne des événements."
        )
