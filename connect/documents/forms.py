import uuid

from django.http import Http404

from connect.documents.models import Document


def parse_selection(dossier, codes: list[str]) -> list[Document]:
    """The dossier's documents named by `codes` (all of them when none is named), newest first.

    A code that is malformed or belongs to no document of this dossier makes the whole request a
    404: a selection never silently shrinks, and another dossier's document is never reached.
    """
    documents = Document.objects.filter(dossier=dossier).newest_first()
    if not codes:
        selected = list(documents)
    else:
        try:
            wanted = {uuid.UUID(code) for code in codes}
        except (ValueError, TypeError, AttributeError):
            raise Http404 from None
        selected = list(documents.filter(code__in=wanted))
        if len(selected) != len(wanted):
            raise Http404
    return selected
