from connect.dossiers.models import Dossier
from connect.lib.http import get_or_404


def access_dossier(user, code, *, annotations: dict | None = None) -> Dossier:
    """The one door to a dossier and what hangs from it: the dossier, or a 404.
    `annotations`: more to read in the same query (dossiers/panels.py)."""
    dossiers = (
        Dossier.objects.visible_to(user)
        .select_related("garage", "expert", "advisor")
        .annotate(**(annotations or {}))
    )
    return get_or_404(dossiers, code=code)
