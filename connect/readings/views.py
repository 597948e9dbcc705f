"""The plate shot read on the phone before the message goes: capture.js posts a downscaled copy
of the photo (probe) and asks its state every second; the repairer can send whatever it says."""

from uuid import UUID

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from connect.accounts.http import AuthenticatedHttpRequest
from connect.accounts.policies import methods, repairer_only
from connect.documents.validation import RejectedFile, check_upload
from connect.dossiers.access import access_dossier
from connect.lib.throttle import Rate, Throttled, consume
from connect.readings import services
from connect.readings.access import access_probe
from connect.readings.phone import plate_message

# What capture.js sends: a JPEG of at most 1600 px on its long side, well under this.
PROBE_MAX_BYTES = 3 * 1024 * 1024
PROBE_TYPES = ("image/jpeg", "image/png", "image/webp")


@repairer_only
@methods("POST")
def probe(request: AuthenticatedHttpRequest, code: UUID) -> HttpResponse:
    dossier = access_dossier(request.user, code)
    try:
        consume(("plate-probes-user", request.user.pk, Rate(settings.PLATE_PROBES_PER_HOUR, 3600)))
    except Throttled as error:
        response = JsonResponse({"message": error.message}, status=429)
        response["Retry-After"] = str(error.wait)
        return response
    photo = request.FILES.get("photo")
    if photo is None or photo.size is None or photo.size > PROBE_MAX_BYTES:
        return JsonResponse({"message": "Photo de la plaque absente ou trop grande."}, status=400)
    try:
        checked = check_upload(photo, name="plaque.jpg")
    except RejectedFile as error:
        return JsonResponse({"message": " ".join(error.messages)}, status=400)
    if checked.content_type not in PROBE_TYPES:
        return JsonResponse({"message": "La photo doit être en JPEG, PNG ou WebP."}, status=400)
    photo.seek(0)
    reading = services.request_probe(dossier=dossier, user=request.user, data=photo.read())
    url = reverse(
        "readings:probe_state", kwargs={"code": dossier.code, "reading_code": reading.code}
    )
    return JsonResponse({"state": "pending", "url": url}, status=202)


@repairer_only
@methods("GET")
def probe_state(request: AuthenticatedHttpRequest, code: UUID, reading_code: UUID) -> HttpResponse:
    reading = access_probe(request.user, code, reading_code)
    if not reading.done:
        return JsonResponse({"state": "pending"})
    message, ok = plate_message(reading)
    return JsonResponse(
        {
            "state": "done",
            "verdict": reading.verdict,
            "read": reading.value,
            "ok": ok,
            "message": message,
        }
    )
