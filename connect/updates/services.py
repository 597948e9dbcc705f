from django.db import transaction

from connect.updates.models import ServiceUpdate, ServiceUpdateRead


@transaction.atomic
def mark_read(*, user, update_ids: list[int]) -> int:
    """Records that `user` read these published updates; repeated marks are harmless."""
    updates = (
        ServiceUpdate.objects.published().filter(pk__in=update_ids).values_list("pk", flat=True)
    )
    reads = [ServiceUpdateRead(user=user, update_id=pk) for pk in updates]
    ServiceUpdateRead.objects.bulk_create(reads, ignore_conflicts=True)
    return len(reads)


@transaction.atomic
def save_update(*, form, author) -> ServiceUpdate:
    update = form.save(commit=False)
    if update.author_id is None:
        update.author = author
    update.save()
    return update
