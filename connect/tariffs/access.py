"""One door to a rate card: through its garage's door (connect/accounts/access.py)."""

from django.http import Http404

from connect.accounts.access import access_garage
from connect.tariffs.models import RateCard


def access_rate_card(user, garage_id, version) -> RateCard:
    garage = access_garage(user, garage_id)
    try:
        card = RateCard.objects.select_related("submitted_by").get(garage=garage, version=version)
    except (RateCard.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    card.garage = garage
    return card
