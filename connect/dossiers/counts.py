"""The list's six counts and novelties, cached per user on the versions of the touch path.

The counts aggregate is the list page's most expensive query; most pages are read again before
anything in them changes. Measured in-process on PostgreSQL (200,000 dossiers, Redis, load ~6):
a repairer's garage of 8,500 live dossiers 16.5 ms → 1.9 ms, an expert's unit of 94,000
111 ms → 3.5 ms (medians of 15; the cached path includes the garage ids the page reads anyway).
A cached value is keyed on the user, the garages they see with each garage's version, the
user's own version (their seen rows) and today's date ("Examens à venir" starts today), so any
write that goes through `connect/dossiers/touch.py` makes it unreachable at once. It needs a
cache shared by every web process (Redis): LIST_COUNTS_CACHE_SECONDS is 0 (off) without one.
Administrators (every garage) are never cached. A cache outage falls back to the query; a
version replaced while Redis was unreachable is lost, so a value cached before the outage may
be served until it expires (LIST_COUNTS_CACHE_SECONDS bounds that).
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from connect.dossiers.queries import tab_counts, visible_garage_ids
from connect.dossiers.touch import garage_key, user_key, versions

log = logging.getLogger(__name__)


def list_counts(user, dossiers: QuerySet) -> dict[str, int]:
    """`tab_counts(user, dossiers)` for the user's whole list, from the cache when fresh."""
    seconds = settings.LIST_COUNTS_CACHE_SECONDS
    if not seconds or user.is_admin:
        return tab_counts(user, dossiers)
    try:
        key = _key(user)
        counts = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an accelerator, never a requirement
        log.warning("list counts cache unavailable", exc_info=True)
        return tab_counts(user, dossiers)
    if counts is None:
        counts = tab_counts(user, dossiers)
        try:
            cache.set(key, counts, timeout=seconds)
        except Exception:  # noqa: BLE001
            log.warning("list counts not cached", exc_info=True)
    return counts


def _key(user) -> str:
    garages = visible_garage_ids(user)
    keys = [user_key(user.pk), *(garage_key(pk) for pk in garages)]
    parts = [str(user.pk), user.role, str(timezone.localdate()), *map(str, garages)]
    digest = hashlib.sha256("|".join([*parts, *versions(keys)]).encode()).hexdigest()
    return f"dossiers:list-counts:{digest}"
