"""Files of a dossier: every byte is served here, after access_dossier, never by a media URL."""

from uuid import UUID

from django.conf import settings
from django.contrib import messages as flash
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import content_disposition_header

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import authenticated, methods, public
from connect.documents import services
from connect.documents.access import access_document
from connect.documents.archive import dossier_zip
from connect.documents.forms import parse_selection
from connect.documents.models import Document
from connect.documents.responses import file_response, protect
from connect.dossiers.access import access_dossier
from connect.lib import seal
from connect.lib.throttle import Rate, Throttled, consume, throttled_page

PENDING_IMAGE = "img/document-pending.svg"


@authenticated
@methods("GET")
def document_file(
    request: AuthenticatedHttpRequest, code: UUID, document_code: UUID
) -> HttpResponseBase:
    document = access_document(request.user, code, document_code)
    services.mark_seen(user=request.user, documents=[document])
    attachment = "telecharger" in request.GET or not document.browser_can_show
    return file_response(
        document.file,
        as_attachment=attachment,
        filename=document.download_name,
        content_type=document.content_type,
        request=request,
    )


@authenticated
@methods("GET")
def document_thumbnail(
    request: AuthenticatedHttpRequest, code: UUID, document_code: UUID
) -> HttpResponseBase:
    return _rendition(access_document(request.user, code, document_code), "thumbnail")


@authenticated
@methods("GET")
def document_preview(
    request: AuthenticatedHttpRequest, code: UUID, document_code: UUID
) -> HttpResponseBase:
    return _rendition(access_document(request.user, code, document_code), "preview")


def _rendition(document: Document, field: str) -> HttpResponseBase:
    if not document.is_photo:
        raise Http404
    rendition = getattr(document, field)
    if not rendition:
        return redirect(static(PENDING_IMAGE))
    response = FileResponse(rendition.open("rb"), content_type="image/jpeg")
    return protect(response)


@authenticated
@methods("GET", "POST")
def documents_zip(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponseBase:
    dossier = access_dossier(request.user, code)
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST" and not data.getlist("document"):
        flash.info(request, "Sélectionnez au moins un document à télécharger.")
        return redirect(reverse("dossier_detail", kwargs={"code": dossier.code}) + "#documents")
    try:
        consume(
            ("exports-user", request.user.pk, Rate(settings.EXPORTS_PER_USER_PER_HOUR, 3600)),
            ("exports-dossier", dossier.pk, Rate(settings.EXPORTS_PER_DOSSIER_PER_HOUR, 3600)),
        )
    except Throttled as error:
        return throttled_page(request, error)
    documents = parse_selection(dossier, data.getlist("document"))
    services.mark_seen(user=request.user, documents=documents)
    archive = dossier_zip(documents)
    response = StreamingHttpResponse(archive, content_type="application/zip")
    response["Content-Length"] = str(len(archive))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{dossier.reference}.zip"
    )
    return protect(response)


@public
@methods("GET")
def evidence_keys(request) -> JsonResponse:
    """The public keys of the portal's seal: anyone verifies a seal or an evidence pack."""
    return JsonResponse(seal.published(), json_dumps_params={"ensure_ascii": False, "indent": 2})
