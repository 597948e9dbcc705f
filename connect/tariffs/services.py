from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from connect.accounts.models import Garage
from connect.api.events import record_event
from connect.documents.validation import CheckedFile
from connect.tariffs.models import RateCard, RateCardFlatRate


@transaction.atomic
def submit_rate_card(
    *,
    garage: Garage,
    user,
    values: dict,
    flat_rates: list[tuple[str, Decimal]],
    board,
    checked_board: CheckedFile,
) -> RateCard:
    """A new version of the garage's rate card, its price board stored, and an event for the
    core system, all in one transaction. Earlier versions are never changed."""
    Garage.objects.select_for_update().filter(pk=garage.pk).first()  # serialise version numbers
    last = RateCard.objects.filter(garage=garage).aggregate(last=Max("version"))["last"] or 0
    card = RateCard(
        garage=garage,
        version=last + 1,
        submitted_by=user,
        board_content_type=checked_board.content_type,
        board_extension=checked_board.extension,
        board_size=checked_board.size,
        board_sha256=checked_board.sha256,
        **values,
    )
    board.seek(0)
    card.board.save("board", board, save=False)  # generated name, see board_path
    try:
        card.save()
        RateCardFlatRate.objects.bulk_create(
            RateCardFlatRate(card=card, position=index, label=label, price=price)
            for index, (label, price) in enumerate(flat_rates)
        )
        record_event("rate_card.submitted", payload=card.as_event_payload(), garage=garage)
    except BaseException:
        card.board.delete(save=False)  # the row never comes: do not leave the file behind
        raise
    return card
