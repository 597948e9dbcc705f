"""The list's six counts and novelties, cached per user on the versions of the touch path.

The counts aggregate is the list page's most expensive query; most pages are read again before
anything in them changes. Measured in-process on PostgreSQL (200,000 dossiers, Redis, load ~6):
a repairer's garage of 8,500 live dossiers 16.5 ms → 1.9 ms, an expert's unit of 94,000
111 ms → 3.5 ms (medians of 15; the cached path includes the garage ids the page reads anyway).
A user's cached value is stamped (connect/lib/versioned.py) with their role, the garages they
see with each garage's version, the user's own version (their seen rows) and today's date
("Examens à venir" starts today), so any write that goes through `connect/dossiers/touch.py`
makes it stale at once; the value and its versions are read in one round trip. It needs a
cache shared by every web process (Redis): LIST_COUNTS_CACHE_SECONDS is 0 (off) without one.
Administrators (every garage) are never cached. A cache outage falls back to the query; a
value cached before it may be served until LIST_COUNTS_CACHE_SECONDS.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from connect.dossiers.queries import tab_counts, visible_garage_ids
from connect.dossiers.touch import garage_key, user_key
from connect.lib.versioned import cached


def list_counts(user, dossiers: QuerySet) -> dict[str, int]:
    """`tab_counts(user, dossiers)` for the user's whole list, from the cache when fresh."""
    seconds = settings.LIST_COUNTS_CACHE_SECONDS
    if not seconds or user.is_admin:
        return tab_counts(user, dossiers)
    garages = visible_garage_ids(user)
    return cached(
        f"dossiers:list-counts:{user.pk}",
        versions=[user_key(user.pk), *(garage_key(pk) for pk in garages)],
        parts=[user.role, str(timezone.localdate()), ",".join(map(str, garages))],
        compute=lambda: tab_counts(user, dossiers),
        timeout=seconds,
    )
