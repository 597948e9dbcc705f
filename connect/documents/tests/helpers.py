from django.core.files.uploadedfile import SimpleUploadedFile

from connect.documents import samples
from connect.documents.models import DocumentType, Origin
from connect.documents.services import add_document


def add(dossier, data: bytes, name: str, doc_type=DocumentType.OTHER, **fields):
    fields.setdefault("origin", Origin.FIRM)
    return add_document(
        dossier=dossier, file=SimpleUploadedFile(name, data), doc_type=doc_type, **fields
    )


def add_photo(dossier, name="photo.jpg", **fields):
    return add(dossier, samples.jpeg((64, 48)), name, DocumentType.PHOTO, **fields)


def add_pdf(dossier, name="rapport.pdf", doc_type=DocumentType.EXPERT_REPORT, **fields):
    return add(dossier, samples.pdf(name, pages=2), name, doc_type, **fields)
