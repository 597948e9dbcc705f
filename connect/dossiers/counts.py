"""The list's six counts and novelties, cached on the versions of the touch path.

The counts aggregate is the list page's most expensive query; most pages are read again before
anything in them changes. Two layers, both stamped (connect/lib/versioned.py) so that any write
through `connect/dossiers/touch.py` makes them stale at once:

- per garage: its tabs and its never-seen novelties (a live dossier with a document or a
  message), shared by everyone who sees the garage, stamped with the garage's counts version
  (touch.counts_key: replaced when a counted fact changes) and today's date ("Examens à venir"
  starts today); the stale ones are counted in one grouped query. A unit's staff, who each
  counted the whole unit, now share its garages' counts, and a write recounts only its garages;
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
from connect.dossiers.models import Dossier, Tab, tab_filter
from connect.dossiers.novelty import novelty_q, with_seen
from connect.dossiers.queries import tab_counts, visible_garage_ids
from connect.dossiers.touch import counts_key, user_key
from connect.lib.versioned import cached, cached_many

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
    """The tabs summed over the garages' own counts; the novelties corrected by the user's own
    seen rows (the only part of the counts that is the user's)."""
    per_garage = cached_many(
        {f"dossiers:garage-counts:2:{pk}": ([counts_key(pk)], [today]) for pk in garages},
        compute=_garage_counts,
        timeout=seconds,
    )
    totals = _no_counts()
    for counts in per_garage.values():
        for name, value in counts.items():
            totals[name] += value
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


def _no_counts() -> dict[str, int]:
    return {tab.value: 0 for tab in Tab} | {"unread": 0, FIRM_TO_HANDLE: 0}


def _garage_counts(keys: list[str]) -> dict[str, dict[str, int]]:
    """Each garage's tab counts and never-seen novelties, in one grouped query."""
    ids = {int(key.rsplit(":", 1)[1]): key for key in keys}
    counts = {key: _no_counts() for key in keys}
    rows = (
        # Every tab counts live dossiers only: the history's index entries are not read.
        Dossier.objects.filter(garage_id__in=ids, archived=False)
        .values("garage_id")
        .annotate(
            **{tab.value: Count("pk", filter=tab_filter(tab)) for tab in Tab},
            unread=Count("pk", filter=UNREAD),
            **{FIRM_TO_HANDLE: Count("pk", filter=tab_filter(Tab.TO_HANDLE, firm=True))},
        )
        .order_by()
    )
    for row in rows:
        counts[ids[row["garage_id"]]] = {k: int(v) for k, v in row.items() if k != "garage_id"}  # type: ignore[call-overload]
    return counts
