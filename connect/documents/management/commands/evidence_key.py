from django.core.management.base import BaseCommand
from django.utils import timezone

from connect.lib.seal import new_key


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 key for the seal of evidence: the EVIDENCE_SIGNING_KEYS entry "
        "(secret) and the public half to keep in EVIDENCE_RETIRED_KEYS once it is retired."
    )
    # Run precisely when the key is missing: the check about it would stop the command.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--id", default="", help="key id (default: today's date)")

    def handle(self, *args, **options) -> None:
        key_id = options["id"] or f"{timezone.now():%Y-%m-%d}"
        private, public = new_key(key_id)
        self.stdout.write(f"EVIDENCE_SIGNING_KEYS={private}\n# public: {public}\n")
