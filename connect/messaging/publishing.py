"""Publishing a document from the firm or the core system onto a dossier.

It lives in messaging (not documents) because the garage's users are told through messaging's
notifications; the staff workspace and the integration API both call it.
"""

from datetime import datetime

from django.db import transaction

from connect.documents.models import Document
from connect.documents.services import add_document
from connect.dossiers.models import Dossier
from connect.messaging.notifications import notify_documents_published


@transaction.atomic
def publish_document(
    *,
    dossier: Dossier,
    file,
    doc_type: str,
    origin: str,
    title: str = "",
    author=None,
    replaces: Document | None = None,
    occurred_at: datetime | None = None,
) -> Document:
    """Add the document (a novelty for the garage, "annule et remplace" `replaces`) and queue
    the garage users' e-mails in the same transaction: they go once it commits. Raises
    documents.validation.RejectedFile on bad bytes, with nothing stored."""
    document = add_document(
        dossier=dossier,
        file=file,
        doc_type=doc_type,
        title=title,
        origin=origin,
        author=author,
        replaces=replaces,
        occurred_at=occurred_at,
    )
    notify_documents_published(dossier=dossier, documents=[document])
    return document
