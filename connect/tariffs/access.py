"""One door to a garage's rate cards: its members, or the staff of its unit; others get a 404."""

from django.http import Http404

from connect.accounts.models import Garage
from connect.tariffs.models import RateCard


def access_garage(user, garage_id) -> Garage:
    """The garage if `user` belongs to it (repairer) or works its unit (staff); else a 404."""
    try:
        return Garage.objects.visible_to(user).get(pk=garage_id)
    except (Garage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_rate_card(user, garage_id, version) -> RateCard:
    garage = access_garage(user, garage_id)
    try:
        card = RateCard.objects.select_related("submitted_by").get(garage=garage, version=version)
    except (RateCard.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    card.garage = garage
    return card
