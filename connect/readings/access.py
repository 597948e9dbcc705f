from uuid import UUID

from connect.dossiers.access import access_dossier
from connect.lib.http import get_or_404
from connect.readings.models import Reading


def access_probe(user, code: UUID, reading_code: UUID) -> Reading:
    """A plate shot read before sending: through its dossier's door, and only its requester's
    (a colleague has no use for it); anything else is a 404."""
    dossier = access_dossier(user, code)
    probes = Reading.objects.filter(dossier=dossier, document__isnull=True, requested_by=user)
    return get_or_404(probes, code=reading_code)
