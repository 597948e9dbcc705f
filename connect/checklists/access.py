from connect.checklists.models import RequestItem
from connect.dossiers.access import access_dossier
from connect.lib.http import get_or_404


def access_item(user, code, item_code) -> RequestItem:
    """An item of a request on a dossier `user` may reach (access_dossier), or a 404."""
    dossier = access_dossier(user, code)
    item = get_or_404(
        RequestItem.objects.select_related("request"), code=item_code, request__dossier=dossier
    )
    item.request.dossier = dossier
    return item
