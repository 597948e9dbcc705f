from django.utils import timezone

from connect.dossiers.access import access_dossier
from connect.lib.http import get_or_404
from connect.uploads.models import Upload


def access_upload(user, code) -> Upload:
    """The one door to an upload: its uploader only, and only while they still reach its
    dossier; anything else (another user's, another garage's, expired) is a 404."""
    upload = get_or_404(Upload.objects.all(), code=code, user=user, expires_at__gt=timezone.now())
    upload.dossier = access_dossier(user, upload.dossier.code)
    return upload
