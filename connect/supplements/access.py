from django.http import Http404

from connect.dossiers.access import access_dossier
from connect.supplements.models import Supplement


def access_supplement(user, code, supplement_code) -> Supplement:
    """A supplement of a dossier `user` may reach (access_dossier), or a 404."""
    dossier = access_dossier(user, code)
    try:
        supplement = Supplement.objects.get(code=supplement_code, dossier=dossier)
    except (Supplement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    supplement.dossier = dossier
    return supplement
