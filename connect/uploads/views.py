"""The resumable upload endpoint: JSON answers for queue.js, French messages in `message`."""

from uuid import UUID

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, repairer_only
from connect.dossiers.access import access_dossier
from connect.lib.http import BadJson, int_or_none, parse_json, uuid_or_none
from connect.lib.storage import storage_failure
from connect.lib.throttle import Rate, Throttled, consume
from connect.uploads import limits, services
from connect.uploads.access import access_upload
from connect.uploads.models import Upload, UploadState


def _state(upload: Upload, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        {
            "code": str(upload.code),
            "state": upload.state,
            "offset": upload.offset,
            "size": upload.size,
            "reason": upload.reason,
            "chunk_size": limits.CHUNK_BYTES,
        },
        status=status,
    )
    response["Upload-Offset"] = str(upload.offset)
    response["Upload-Length"] = str(upload.size)
    return response


def _refused(error: services.UploadRefused) -> JsonResponse:
    response = JsonResponse({"message": error.message}, status=error.status)
    if error.offset is not None:
        response["Upload-Offset"] = str(error.offset)
    return response


@repairer_only
@methods("POST")
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    dossier_code = uuid_or_none(request.POST.get("dossier"))
    if dossier_code is None:
        return JsonResponse({"message": "Indiquez le dossier du fichier."}, status=400)
    dossier = access_dossier(request.user, dossier_code)
    try:
        # Twice the files a user may attach an hour: a resend after a lost answer costs one more.
        rate = Rate(settings.UPLOADS_PER_USER_PER_HOUR * 2, 3600)
        consume(("upload-starts-user", request.user.pk, rate))
    except Throttled as error:
        response = JsonResponse({"message": error.message}, status=429)
        response["Retry-After"] = str(error.wait)
        return response
    size = int_or_none(request.POST.get("size", ""))
    try:
        metadata = parse_json(
            request.POST.get("metadata") or "{}", max_bytes=limits.MAX_METADATA_BYTES
        )
    except BadJson as error:
        # A field of the form, not the body: too long or too deep alike is a 400.
        return JsonResponse({"message": f"Champs du fichier : {error.message}"}, status=400)
    try:
        if size is None or not isinstance(metadata, dict):
            raise ValueError
        upload = services.create_upload(
            user=request.user,
            dossier=dossier,
            file_name=request.POST.get("name", ""),
            size=size,
            sha256=request.POST.get("sha256", ""),
            metadata=metadata,
        )
    except ValueError:
        return JsonResponse({"message": "Taille ou champs du fichier illisibles."}, status=400)
    except services.UploadRefused as error:
        return _refused(error)
    response = _state(upload, status=201)
    response["Location"] = reverse("uploads:upload", kwargs={"upload_code": upload.code})
    return response


@repairer_only
@methods("GET", "PATCH", "DELETE")
def upload(request: AuthenticatedHttpRequest, upload_code: UUID) -> HttpResponse:
    """GET/HEAD: where the upload is; PATCH: the next chunk; DELETE: give it up."""
    upload = access_upload(request.user, upload_code)
    if request.method == "DELETE":
        try:
            services.cancel(upload=upload)
        except services.UploadRefused as error:
            return _refused(error)
        return HttpResponse(status=204)
    if request.method == "PATCH":
        return _receive(request, upload)
    if upload.state == UploadState.RECEIVING and upload.offset == upload.size:
        upload = services.complete(upload=upload)  # its last chunk's request died before
    return _state(upload)


def _receive(request: AuthenticatedHttpRequest, upload: Upload):
    length = int_or_none(request.META.get("CONTENT_LENGTH") or "0") or 0
    if length > limits.MAX_CHUNK_BYTES:
        # Refused before reading: a hostile client cannot make us hold more than a chunk.
        return _refused(services.UploadRefused("Un morceau fait au plus 4 Mo.", status=413))
    try:
        chunk = services.parse_content_range(request.headers.get("Content-Range", ""))
        with storage_failure(_storage_refusal(upload)):
            upload = services.receive_chunk(
                upload=upload,
                chunk=chunk,
                data=request.body,
                checksum=request.headers.get("Upload-Checksum", ""),
            )
    except services.UploadRefused as error:
        return _refused(error)
    return _state(upload)


def _storage_refusal(upload: Upload):
    """The chunk was not kept: a 5xx, which queue.js retries later (a 4xx gives the file up)."""

    def refuse(message: str):
        raise services.UploadRefused(message, status=503, offset=upload.offset)

    return refuse
