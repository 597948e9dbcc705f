"""The dashboard's figures, cached on the garages' versions of the touch path, for 5 minutes.

The figures read every row of the garages' last months (about 150 ms of SQL at 10,000 dossiers
per garage on the reference machine); a dashboard is read again far more often than a fact of
its garages changes. The value is stamped with each garage's version (dossiers/touch.py:
any write to a dossier, a wait, an invoice makes it stale at once) and a 5-minute slot of the
clock, since "overdue now" and the rolling period move without any write: a figure is at
most 5 minutes older than the clock (the page says when it was computed). Only with a cache
shared by the web processes (the list's counts' rule, LIST_COUNTS_CACHE_SECONDS); a cache
outage falls back to the queries.
"""

import hashlib
from datetime import datetime

from django.conf import settings

from connect.dashboard.figures import Figures, figures
from connect.dossiers.touch import garage_key
from connect.lib.versioned import cached

SLOT_SECONDS = 300


def dashboard_figures(garage_ids: list[int], *, now: datetime, days: int) -> Figures:
    def compute() -> Figures:
        return figures(garage_ids, now=now, days=days)

    if not settings.LIST_COUNTS_CACHE_SECONDS:
        return compute()
    ids = sorted(garage_ids)
    which = hashlib.sha256(f"{days}|{ids}".encode()).hexdigest()
    return cached(
        f"dashboard:figures:{which}",
        versions=[garage_key(pk) for pk in ids],
        parts=[str(int(now.timestamp() // SLOT_SECONDS))],
        compute=compute,
        timeout=SLOT_SECONDS,
    )
