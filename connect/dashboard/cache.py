"""The dashboard's figures, cached on the garages' versions of the touch path, for 5 minutes.

The figures read every row of the garages' last months (about 150 ms of SQL at 10,000 dossiers
per garage on the reference machine); a dashboard is read again far more often than a fact of
its garages changes. The key holds each garage's version (connect/dossiers/touch.py: any write
to a dossier, a wait, an invoice makes the value unreachable at once) and a 5-minute slot of
the clock, since "overdue now" and the rolling period move without any write: a figure is at
most 5 minutes older than the clock (the page says when it was computed). Only with a cache
shared by the web processes (the list's counts' rule, LIST_COUNTS_CACHE_SECONDS); a cache
outage falls back to the queries.
"""

import hashlib
import logging
from datetime import datetime

from django.conf import settings
from django.core.cache import cache

from connect.dashboard.figures import Figures, figures
from connect.dossiers.touch import garage_key, versions

log = logging.getLogger(__name__)
SLOT_SECONDS = 300


def dashboard_figures(garage_ids: list[int], *, now: datetime, days: int) -> Figures:
    if not settings.LIST_COUNTS_CACHE_SECONDS:
        return figures(garage_ids, now=now, days=days)
    try:
        key = _key(garage_ids, now=now, days=days)
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an accelerator, never a requirement
        log.warning("dashboard cache unavailable", exc_info=True)
        return figures(garage_ids, now=now, days=days)
    if found is None:
        found = figures(garage_ids, now=now, days=days)
        try:
            cache.set(key, found, timeout=SLOT_SECONDS)
        except Exception:  # noqa: BLE001
            log.warning("dashboard figures not cached", exc_info=True)
    return found


def _key(garage_ids: list[int], *, now: datetime, days: int) -> str:
    ids = sorted(garage_ids)
    slot = int(now.timestamp() // SLOT_SECONDS)
    parts = [str(days), str(slot), *map(str, ids), *versions([garage_key(pk) for pk in ids])]
    return "dashboard:figures:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
