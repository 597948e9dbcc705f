"""The supplements' waits for the ball (connect/deadlines/sources.py): a supplement with no
decision yet waits on the firm."""

from connect.deadlines.sources import Wait, WaitKind, source
from connect.dossiers.templatetags.formats import format_amount
from connect.lib.ids import any_of
from connect.supplements.models import Supplement


@source
def supplement_waits(dossier_ids) -> list[Wait]:
    undecided = Supplement.objects.filter(
        dossier_id__in=any_of(dossier_ids), decisions__isnull=True
    ).values_list("pk", "dossier_id", "submitted_at", "amount")
    return [
        Wait(
            dossier_id=dossier_id,
            kind=WaitKind.SUPPLEMENT_DECISION,
            since=submitted_at,
            key=f"supplement:{pk}",
            label=f"Supplément de {format_amount(amount)} HT",  # "820,50 €", as French writes it
        )
        for pk, dossier_id, submitted_at, amount in undecided
    ]
