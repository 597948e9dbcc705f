"""The one touch path: whoever changes what the list counts calls it, in its transaction.

What is cached from a garage's dossiers (the list's counts, `connect/dossiers/counts.py`) is
stamped with a version per garage and one per user (their seen rows, connect/lib/versioned.py);
a writer replaces those versions when its transaction commits, so no cached value outlives the
facts it was read from.
Writers: the core system's upserts (dossiers/services.py), firm documents (last_document_at,
documents/services.py), messages and exam confirmations (messaging/services.py), and the
user's seen rows (dossiers/novelty.py).
"""

from collections.abc import Callable

from connect.lib.versioned import replace_on_commit


def garage_key(garage_id: int) -> str:
    return f"dossiers:garage-version:{garage_id}"


def user_key(user_id: int) -> str:
    return f"dossiers:user-version:{user_id}"


def touch_garages(garage_ids) -> None:
    """The dossiers of these garages changed (or moved in or out of them)."""
    replace_on_commit([garage_key(pk) for pk in garage_ids if pk is not None])


# Called, in the writer's transaction, with the ids of the dossiers whose facts changed; what is
# derived from those facts (the ball, connect/deadlines) registers here and recomputes at once.
DOSSIER_LISTENERS: list[Callable[[list[int]], None]] = []


def on_dossiers_touched(listener: Callable[[list[int]], None]) -> Callable[[list[int]], None]:
    if listener not in DOSSIER_LISTENERS:
        DOSSIER_LISTENERS.append(listener)
    return listener


def touch_dossiers(dossier_ids, *, garage_ids=None) -> None:
    """These dossiers' facts changed (a message, a document, an exam, a request, a supplement,
    an invoice, the core system's values): derived state is recomputed now, in the writer's
    transaction, and their garages' cached counts are replaced on commit. `garage_ids`, when the
    caller knows them (and always the old garage of a dossier that moved), saves a query."""
    ids = sorted({pk for pk in dossier_ids if pk is not None})
    if not ids:
        return
    for listener in DOSSIER_LISTENERS:
        listener(ids)
    if garage_ids is None:
        from connect.dossiers.models import Dossier

        garage_ids = Dossier.objects.filter(pk__in=ids).values_list("garage_id", flat=True)
    touch_garages(garage_ids)


def touch_user(user_id: int) -> None:
    """This user's seen rows changed (their novelties)."""
    replace_on_commit([user_key(user_id)])
