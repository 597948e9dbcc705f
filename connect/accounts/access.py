from django.http import Http404

from connect.accounts.models import Garage


def access_garage(user, garage_id) -> Garage:
    """The one door to a garage: one of the user's (repairer), of their unit (staff), any
    (administrator); else a 404 (`Garage.objects.visible_to` states the rule)."""
    try:
        return Garage.objects.visible_to(user).select_related("unit", "expert").get(pk=garage_id)
    except (Garage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
