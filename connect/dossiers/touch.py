"""The one touch path: whoever changes what the list counts calls it, in its transaction.

What is cached from a garage's dossiers is stamped (connect/lib/versioned.py) with versions a
writer replaces when its transaction commits, so no cached value outlives the facts it was read
from: per garage, one for anything of its dossiers (`garage_key`: the dashboard) and one for
what the list counts read (`counts_key`: models.COUNTED_FIELDS), and one per user (their seen
rows). A writer that knows its change left the counted facts alone (the core system's batch
rewriting labels) replaces only the first.
The counts themselves are kept by the writers (kept.py): `touch_dossiers` applies each touched
dossier's difference to its garage's kept counts in the writer's transaction, so a reader after
a write sums kept rows instead of recounting the garage.
Writers: the core system's upserts (dossiers/services.py), firm documents (last_document_at,
documents/services.py), messages and exam confirmations (messaging/services.py), and the
user's seen rows (dossiers/novelty.py).
"""

from collections.abc import Callable

from connect.dossiers.kept import keep
from connect.lib.versioned import replace_on_commit


def garage_key(garage_id: int) -> str:
    return f"dossiers:garage-version:{garage_id}"


def counts_key(garage_id: int) -> str:
    return f"dossiers:counts-version:{garage_id}"


def user_key(user_id: int) -> str:
    return f"dossiers:user-version:{user_id}"


def touch_garages(garage_ids, *, counted=None) -> None:
    """The dossiers of these garages changed (or moved in or out of them); `counted`: those
    whose counted facts may have changed (default: all of them)."""
    ids = {pk for pk in garage_ids if pk is not None}
    counted_ids = ids if counted is None else {pk for pk in counted if pk is not None}
    replace_on_commit([*(garage_key(pk) for pk in ids), *(counts_key(pk) for pk in counted_ids)])


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
    transaction, and their garages' cached values are replaced on commit. `garage_ids`, when the
    caller knows them (and always the old garage of a dossier that moved), saves a query."""
    ids = recompute_derived(dossier_ids)
    if not ids:
        return
    keep(ids)
    if garage_ids is None:
        from connect.dossiers.models import Dossier

        garage_ids = Dossier.objects.filter(pk__in=ids).values_list("garage_id", flat=True)
    touch_garages(garage_ids)


def recompute_derived(dossier_ids) -> list[int]:
    """touch_dossiers' first half, for a writer that keeps the counts and calls touch_garages
    itself (services.upsert_dossiers): the listeners recompute, in the transaction."""
    ids = sorted({pk for pk in dossier_ids if pk is not None})
    if ids:
        for listener in DOSSIER_LISTENERS:
            listener(ids)
    return ids


def touch_user(user_id: int) -> None:
    """This user's seen rows changed (their novelties)."""
    replace_on_commit([user_key(user_id)])
