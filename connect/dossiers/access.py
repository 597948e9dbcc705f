from django.http import Http404

from connect.dossiers.models import Dossier


def access_dossier(user, code) -> Dossier:
    """The one door to a dossier and what hangs from it: the dossier, or a 404."""
    try:
        return (
            Dossier.objects.visible_to(user)
            .select_related("garage", "expert", "advisor")
            .get(code=code)
        )
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
