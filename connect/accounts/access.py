from connect.accounts.models import Garage
from connect.lib.http import get_or_404


def access_garage(user, garage_id) -> Garage:
    """The one door to a garage: one of the user's (repairer), of their unit (staff), any
    (administrator); else a 404 (`Garage.objects.visible_to` states the rule)."""
    return get_or_404(
        Garage.objects.visible_to(user).select_related("unit", "expert"), pk=garage_id
    )
