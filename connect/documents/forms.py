from django.http import Http404

from connect.documents.models import Document
from connect.lib.http import uuid_or_none


def parse_selection(dossier, codes: list[str]) -> list[Document]:
    """The dossier's documents named by `codes` (all of them when none is named), newest first.

    A code that is malformed or belongs to no document of this dossier makes the whole request a
    404: a selection never silently shrinks, and another dossier's document is never reached.
    """
    documents = Document.objects.filter(dossier=dossier).newest_first()
    if not codes:
        selected = list(documents)
    else:
        wanted = {uuid_or_none(code) for code in codes}
        if None in wanted:
            raise Http404
        selected = list(documents.filter(code__in=wanted))
        if len(selected) != len(wanted):
            raise Http404
    return selected
