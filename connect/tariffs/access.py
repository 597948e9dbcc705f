"""One door to a rate card: through its garage's door (connect/accounts/access.py)."""

from connect.accounts.access import access_garage
from connect.lib.http import get_or_404
from connect.tariffs.models import RateCard


def access_rate_card(user, garage_id, version) -> RateCard:
    garage = access_garage(user, garage_id)
    card = get_or_404(
        RateCard.objects.select_related("submitted_by"), garage=garage, version=version
    )
    card.garage = garage
    return card
