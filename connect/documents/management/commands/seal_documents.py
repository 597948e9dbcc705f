from django.core.management.base import BaseCommand

from connect.documents.models import Document
from connect.documents.seal import seal_document


class Command(BaseCommand):
    help = (
        "Seal the documents stored without the portal's seal (before the seal existed, or "
        "while no signing key was set), 500 at a time."
    )

    def handle(self, *args, **options) -> None:
        sealed = 0
        while True:
            batch = list(
                Document.objects.filter(seal_signature="")
                .select_related("dossier")
                .order_by("id")[:500]
            )
            if not batch:
                break
            for document in batch:
                if not seal_document(document):
                    self.stderr.write("No signing key (EVIDENCE_SIGNING_KEYS): stopped.")
                    return
                sealed += 1
        self.stdout.write(f"{sealed} document(s) scellé(s).")
