"""Documents: upload to a dossier (POST, multipart), download by code (GET)."""

import hashlib
from typing import Annotated

from django.http import HttpResponse
from django.urls import reverse
from ninja import Field as NinjaField
from ninja import File, Form, Path, Router, Schema
from ninja.files import UploadedFile
from pydantic import field_validator

from connect.api import idempotency
from connect.api.endpoints.dossiers import dossier_by_reference
from connect.api.errors import ApiError, field_error, invalid, not_found
from connect.api.responses import documented
from connect.api.schemas import DateTime, DocumentOut, ErrorOut, Reference, Text
from connect.documents.models import Document, DocumentType, Origin
from connect.documents.responses import file_response
from connect.documents.validation import RejectedFile
from connect.lib.http import uuid_or_none
from connect.lib.storage import storage_failure
from connect.messaging.publishing import publish_document

router = Router(tags=["Documents"])
DocumentCode = Annotated[str, Text(36)]


class DocumentForm(Schema):
    type: DocumentType
    title: Annotated[str, Text(200)] = ""
    date: DateTime | None = NinjaField(
        None, description="Date du document ; par défaut : maintenant."
    )
    replaces: DocumentCode | None = NinjaField(
        None, description="Code d'un document du même dossier que celui-ci annule et remplace."
    )

    @field_validator("date", "replaces", mode="before")
    @classmethod
    def _blank_is_none(cls, value):
        return None if value == "" else value  # a form sends an empty field as ""


def document_out(document: Document) -> DocumentOut:
    return DocumentOut(
        code=str(document.code),
        type=document.doc_type,
        title=document.title,
        date=document.occurred_at,
        replaces=str(document.replaces.code) if document.replaces else None,
        url=reverse("api:get_document", kwargs={"code": document.code}),
    )


def _replaced(dossier, code: str | None) -> Document | None:
    if not code:
        return None
    found = (
        Document.objects.filter(dossier=dossier, code__iexact=code).first()
        if uuid_or_none(code)
        else None
    )
    if found is None:
        raise invalid(
            [
                field_error(
                    "replaces",
                    "unknown_document",
                    "Document inconnu dans ce dossier.",
                    "No such document in this dossier.",
                    location="form",
                )
            ]
        )
    return found


def _file_digest(upload) -> str:
    hasher = hashlib.sha256()
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()


# 503: the malware scanner is unavailable (fail closed) or storage failed: nothing is stored,
# retry after Retry-After.
@router.post(
    "/dossiers/{reference}/documents", response=documented({201: DocumentOut, 503: ErrorOut})
)
def post_document(
    request,
    response: HttpResponse,
    reference: Path[Reference],
    data: Form[DocumentForm],
    file: File[UploadedFile],
):
    """Dépose un document (multipart : file, type, title, date, replaces) ; mêmes contrôles que
    tout dépôt (type reconnu sur le contenu, taille, images vérifiées). Le garage le voit comme
    une nouveauté."""
    dossier = dossier_by_reference(reference)

    def action():
        replaces = _replaced(dossier, data.replaces)
        try:
            document = publish_document(
                dossier=dossier,
                file=file,
                doc_type=data.type,
                title=data.title,
                origin=Origin.CORE_SYSTEM,
                replaces=replaces,
                occurred_at=data.date,
            )
        except RejectedFile as error:
            if error.code == "scanner_unavailable":  # fail closed, and say it is temporary
                raise ApiError(
                    503,
                    "scanner_unavailable",
                    " ".join(error.messages),
                    "Malware scanning is unavailable: nothing was stored, retry later.",
                    headers={"Retry-After": "60"},
                ) from None
            raise invalid(
                [
                    field_error(
                        "file",
                        "rejected_file",
                        " ".join(error.messages),
                        "File refused: type, size or content not accepted.",
                        location="file",
                    )
                ]
            ) from None
        return 201, document_out(document)

    request_hash = idempotency.digest(
        "document", reference, data.model_dump_json(), _file_digest(file)
    )
    # Outside `once`: a failed store is no answer to replay, the key stays free for the retry.
    with storage_failure(_storage_unavailable):
        return idempotency.once(request, response, request_hash=request_hash, action=action)


def _storage_unavailable(message: str):
    raise ApiError(
        503,
        "storage_unavailable",
        message,
        "Storage failed: nothing was stored, retry later.",
        headers={"Retry-After": "60"},
    )


@router.get("/documents/{code}", response=documented({200: None}))
def get_document(request, code: Path[DocumentCode]):
    """Télécharge un document (lien donné par le flux d'événements et par le dépôt)."""
    document = Document.objects.filter(code=code).first() if uuid_or_none(code) else None
    if document is None:
        raise not_found("Document", "Document")
    return file_response(
        document.file,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
        request=request,
    )
