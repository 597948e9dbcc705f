from django.http import Http404

from connect.checklists.models import RequestItem
from connect.dossiers.access import access_dossier


def access_item(user, code, item_code) -> RequestItem:
    """An item of a request on a dossier `user` may reach (access_dossier), or a 404."""
    dossier = access_dossier(user, code)
    try:
        item = RequestItem.objects.select_related("request").get(
            code=item_code, request__dossier=dossier
        )
    except (RequestItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    item.request.dossier = dossier
    return item
