"""The checklist's waits for the ball (connect/deadlines/sources.py): an item requested or
asked again waits on the garage; an answered item waits on the firm until it is ticked."""

from connect.checklists.models import AWAITING_GARAGE, ItemStatus, RequestItem
from connect.deadlines.sources import Wait, WaitKind, source
from connect.lib.ids import any_of


@source
def checklist_waits(dossier_ids) -> list[Wait]:
    items = (
        RequestItem.objects.filter(
            request__dossier_id__in=any_of(dossier_ids),
            status__in=[*AWAITING_GARAGE, ItemStatus.ANSWERED],
        )
        .select_related("request")
        .only(
            "id",
            "label",
            "status",
            "answered_at",
            "checked_at",
            "request__dossier_id",
            "request__created_at",
        )
    )
    return [
        Wait(
            dossier_id=item.request.dossier_id,
            kind=WaitKind.COMPLEMENT_CHECK if item.awaits_check else WaitKind.COMPLEMENT_REQUESTED,
            since=item.waiting_since,
            key=f"request-item:{item.pk}",
            label=item.label,
        )
        for item in items
    ]
