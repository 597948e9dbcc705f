"""Demo decisions: the first garage's supplement is accepted in part (messaging's demo sent the
supplements, one per garage); the second garage's waits for the expert."""

from decimal import Decimal

from connect.supplements.models import Supplement
from connect.supplements.services import decide_supplement


def seed(ctx) -> None:
    garage = ctx.objects["garages"][0]
    supplement = Supplement.objects.filter(dossier__garage=garage).select_related("dossier").first()
    if supplement is None:
        return
    decide_supplement(
        supplement=supplement,
        by=supplement.dossier.expert,
        outcome="partly",
        accepted_amount=Decimal("1000.00"),
        reason="Peinture de l'aile au barème : 180,00 € HT non retenus.",
    )
    ctx.write("Suppléments de démonstration : 1 décidé, 1 en attente.")
