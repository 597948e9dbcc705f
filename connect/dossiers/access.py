from django.http import Http404

from connect.dossiers.models import Dossier


def access_dossier(user, code, *, annotations: dict | None = None) -> Dossier:
    """The one door to a dossier and what hangs from it: the dossier, or a 404.
    `annotations`: more to read in the same query (dossiers/panels.py)."""
    try:
        return (
            Dossier.objects.visible_to(user)
            .select_related("garage", "expert", "advisor")
            .annotate(**(annotations or {}))
            .get(code=code)
        )
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
