"""The list's six counts and novelties, cached on the versions of the touch path.

The counts aggregate is the list page's most expensive query; most pages are read again before
anything in them changes. Two layers, both stamped (connect/lib/versioned.py) so that any write
through `connect/dossiers/touch.py` makes them stale at once:

- per garage: its tabs and its never-seen novelties (a live dossier with a document or a
  message) are not cached but kept by the writers in the database (kept.py: deltas on the
  touch path, a nightly recount): a unit's staff sum their garages' rows (two small queries,
  ~200 rows for a unit), nobody recounts a garage after a write;
- per user: those summed over their garages, the novelties corrected by the user's own seen
  rows (one query over those rows), stamped with the user's version, role, garages and date.
  A hit is one round trip (figures: bench/README.md, "Figures behind the code").

It needs a cache shared by every web process (Redis): LIST_COUNTS_CACHE_SECONDS is 0 (off)
without one. Administrators (every garage) are never cached. A cache outage falls back to the
query; a value cached before it may be served until LIST_COUNTS_CACHE_SECONDS.
"""

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from connect.dossiers.ball import reads_as_firm
from connect.dossiers.kept import kept_counts
from connect.dossiers.models import Dossier, Tab, tab_filter
from connect.dossiers.novelty import novelty_q, with_seen
from connect.dossiers.queries import tab_counts, visible_garage_ids
from connect.dossiers.touch import counts_key, user_key
from connect.lib.versioned import cached

# Never seen by anyone, a live dossier with a document or a message is a novelty.
UNREAD = tab_filter(Tab.ALL) & (
    Q(last_document_at__isnull=False) | Q(last_message_at__isnull=False)
)


def list_counts(user, dossiers: QuerySet) -> dict[str, int]:
    """`tab_counts(user, dossiers)` for the user's whole list, from the cache when fresh."""
    seconds = settings.LIST_COUNTS_CACHE_SECONDS
    if not seconds or user.is_admin:
        return tab_counts(user, dossiers)
    garages = visible_garage_ids(user)
    today = str(timezone.localdate())
    return cached(
        f"dossiers:list-counts:2:{user.pk}",
        versions=[user_key(user.pk), *(counts_key(pk) for pk in garages)],
        parts=[user.role, today, ",".join(map(str, garages))],
        compute=lambda: _summed(user, garages, today, seconds),
        timeout=seconds,
    )


def _summed(user, garages: list[int], today: str, seconds: int) -> dict[str, int]:
    """The tabs summed over the garages' kept counts (kept.py: the writers keep them, nobody
    recounts a garage); the novelties corrected by the user's own seen rows (the only part of
    the counts that is the user's)."""
    totals = kept_counts(garages, today)
    seen = with_seen(Dossier.objects.filter(garage_id__in=garages), user).filter(
        my_seen__user_id__isnull=False
    )
    mine = seen.aggregate(
        unread=Count("pk", filter=UNREAD),
        novelties=Count("pk", filter=tab_filter(Tab.ALL) & novelty_q()),
    )
    totals["novelties"] = totals.pop("unread") - mine["unread"] + mine["novelties"]
    # The garages' counts serve both readers: the firm's "À traiter" is what waits on it.
    firm_to_handle = totals.pop(FIRM_TO_HANDLE)
    if reads_as_firm(user):
        totals[Tab.TO_HANDLE.value] = firm_to_handle
    return totals


# "À traiter" as the firm's staff read it, counted beside the garage's in each garage's counts.
FIRM_TO_HANDLE = "firm-to-handle"
