from django.db import transaction

from connect.updates.models import ServiceUpdate, ServiceUpdateSeen


@transaction.atomic
def mark_seen(*, user, update_ids: list[int]) -> int:
    """Records that `user` read these published updates; repeated marks are harmless."""
    updates = (
        ServiceUpdate.objects.published().filter(pk__in=update_ids).values_list("pk", flat=True)
    )
    seen = [ServiceUpdateSeen(user=user, update_id=pk) for pk in updates]
    ServiceUpdateSeen.objects.bulk_create(seen, ignore_conflicts=True)
    return len(seen)


@transaction.atomic
def save_update(*, form, author) -> ServiceUpdate:
    update = form.save(commit=False)
    if update.author_id is None:
        update.author = author
    update.save()
    return update
