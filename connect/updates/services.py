from collections.abc import Sequence

from django.db import transaction

from connect.updates.models import ServiceUpdate, ServiceUpdateSeen


@transaction.atomic
def mark_seen(*, user, update_ids: Sequence[int], unticked_ids: Sequence[int] = ()) -> int:
    """Records that `user` read these published updates; repeated marks are harmless.

    `unticked_ids`: updates shown in the window whose box is now clear (ticked by mistake,
    then unticked): the box is the truth, so their mark goes.
    """
    updates = (
        ServiceUpdate.objects.published().filter(pk__in=update_ids).values_list("pk", flat=True)
    )
    seen = [ServiceUpdateSeen(user=user, update_id=pk) for pk in updates]
    ServiceUpdateSeen.objects.bulk_create(seen, ignore_conflicts=True)
    cleared = set(unticked_ids) - set(update_ids)
    if cleared:
        ServiceUpdateSeen.objects.filter(user=user, update_id__in=cleared).delete()
    return len(seen)


@transaction.atomic
def save_update(*, form, author) -> ServiceUpdate:
    update = form.save(commit=False)
    if update.author_id is None:
        update.author = author
    update.save()
    return update
