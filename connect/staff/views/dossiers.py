"""A dossier seen from the firm: its documents, what the garage has not opened, publishing."""

from collections.abc import Iterable
from uuid import UUID

from django.contrib import messages as flash
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, staff_only
from connect.documents.access import access_document
from connect.documents.models import Document, Origin
from connect.documents.responses import protect
from connect.documents.services import release_to_insured
from connect.documents.validation import RejectedFile
from connect.dossiers.access import access_dossier
from connect.dossiers.models import Dossier
from connect.evidence.pack import build, file_name
from connect.lib.storage import storage_failure_on
from connect.messaging.publishing import publish_document
from connect.readings.models import Kind, Verdict
from connect.staff import services
from connect.staff.forms import PublishDocumentForm


@staff_only
@methods("GET")
def dossier_documents(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    return _render_dossier_documents(request, access_dossier(request.user, code))


def _render_dossier_documents(
    request: AuthenticatedHttpRequest, dossier, *, forms=None, status=200
) -> HttpResponse:
    forms = forms or {}
    documents = list(
        Document.objects.filter(dossier=dossier)
        .select_related("author", "replaces", "reading")
        .newest_first()
    )
    other_plates = [
        document.reading.value
        for document in documents
        if hasattr(document, "reading")
        and (document.reading.kind, document.reading.verdict) == (Kind.PLATE, Verdict.MISMATCH)
    ]
    context = {
        "dossier": dossier,
        "documents": documents,
        "insured": services.insured_follower(dossier),
        "unseen_by_garage": services.unseen_by_garage(dossier, documents),
        "other_plate": ", ".join(dict.fromkeys(other_plates)),
        "form": forms.get("publish") or PublishDocumentForm(documents=_replaceable(dossier)),
    }
    return render(request, "staff/dossier_documents.html", context, status=status)


@staff_only
@methods("POST")
def document_publish(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code)
    form = PublishDocumentForm(request.POST, request.FILES, documents=_replaceable(dossier))
    if form.is_valid():
        try:
            with storage_failure_on(form):
                document = publish_document(
                    dossier=dossier, origin=Origin.FIRM, author=request.user, **form.cleaned_data
                )
                flash.success(request, f"« {document.label} » est publié sur le dossier.")
                return redirect("staff:dossier_documents", code=dossier.code)
        except RejectedFile as error:
            form.add_error("file", error)
    return _render_dossier_documents(request, dossier, forms={"publish": form}, status=400)


@staff_only
@methods("GET")
def evidence_pack(request: AuthenticatedHttpRequest, code: UUID) -> FileResponse:
    """The dossier de preuves (connect/evidence/pack.py): every file, the manifest, the
    portal's signature, checkable offline."""
    dossier = access_dossier(request.user, code)
    response = FileResponse(
        build(dossier),
        as_attachment=True,
        filename=file_name(dossier),
        content_type="application/zip",
    )
    return protect(response)


@staff_only
@methods("POST")
def document_release(
    request: AuthenticatedHttpRequest, code: UUID, document_code: UUID
) -> HttpResponse:
    """Release a document to the insured ("visible par l'assuré") or withdraw it."""
    document = access_document(request.user, code, document_code)
    released = request.POST.get("released") == "1"
    release_to_insured(document=document, released=released)
    if released:
        flash.success(request, f"« {document.label} » est visible par l'assuré.")
    else:
        flash.success(request, f"« {document.label} » n'est plus visible par l'assuré.")
    return redirect("staff:dossier_documents", code=document.dossier.code)


def _replaceable(dossier):
    return Document.objects.filter(dossier=dossier).exclude(content_type__startswith="image/")


@staff_only
@methods("GET")
def dossier_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a dossier of the unit by reference or plate, to publish a document on it."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    dossiers: Iterable[Dossier] = []
    if query:
        dossiers = (
            Dossier.objects.visible_to(request.user)
            .matching(query)
            .select_related("garage")
            .order_by("-mission_received_on", "-id")[:20]
        )
    return render(request, "staff/dossier_search.html", {"query": query, "dossiers": dossiers})
