from connect.documents.models import Document
from connect.dossiers.access import access_dossier
from connect.lib.http import get_or_404


def access_document(user, code, document_code) -> Document:
    """The one door to a document: through its dossier's door; another dossier's is a 404."""
    dossier = access_dossier(user, code)
    document = get_or_404(Document.objects.all(), dossier=dossier, code=document_code)
    document.dossier = dossier
    return document
