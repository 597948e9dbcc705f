"""Demo rate cards: two versions for the first garage (one in force, one future-dated)."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from connect.documents.validation import check_upload
from connect.tariffs import services

BASE = {
    "tax_basis": "HT",
    "labour_t1": Decimal("62.50"),
    "labour_t2": Decimal("68.00"),
    "labour_t3": Decimal("74.00"),
    "paint_labour": Decimal("66.00"),
    "paint_opaque": Decimal("32.00"),
    "paint_varnished": Decimal("38.50"),
    "paint_pearl": Decimal("45.00"),
    "mechanics": Decimal("70.00"),
    "electrics": None,
    "small_supplies": Decimal("3.00"),
    "parts_discount": Decimal("10.00"),
}
FLAT_RATES = [("Vidange + filtre", Decimal("89.90")), ("Géométrie", Decimal("79.00"))]


def _board() -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% Panneau des prix (demo)\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile("panneau.pdf", body, "application/pdf")


def seed(ctx) -> None:
    garages = ctx.objects.get("garages") or []
    if not garages:
        return
    garage = garages[0]
    user = garage.memberships.select_related("user").first()
    today = timezone.localdate()
    for effective_on, changes in [
        (today - timedelta(days=200), {}),
        (today + timedelta(days=30), {"labour_t1": Decimal("64.00")}),
    ]:
        board = _board()
        services.submit_rate_card(
            garage=garage,
            user=user.user if user else None,
            values={**BASE, **changes, "effective_on": effective_on},
            flat_rates=FLAT_RATES,
            board=board,
            checked_board=check_upload(board),
        )
