from django.http import Http404

from connect.documents.models import Document
from connect.dossiers.access import access_dossier


def access_document(user, code, document_code) -> Document:
    """The one door to a document: through its dossier's door; another dossier's is a 404."""
    dossier = access_dossier(user, code)
    try:
        document = Document.objects.get(dossier=dossier, code=document_code)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    document.dossier = dossier
    return document
