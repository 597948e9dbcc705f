"""Values cached with the versions they were read under: one round trip reads both.

A cached value derived from facts (a user's principal, a list's counts, a dashboard's figures)
is stored as `(stamp, value)`, where the stamp joins the current version of each fact it was
read from (and any other part of its identity: a date, a role). A writer replaces a version
when its transaction commits (`replace_on_commit`); the next reader's MGET of the value and its
versions sees another stamp, and recomputes. Versions are read before the facts on a miss, so a
value read from a state being replaced is stored under a stamp nobody will ask for again.

A missing version (never replaced, or evicted) is created, never read as a default that an
older value could have been stored under. The cache is an accelerator, never a requirement: an
outage falls back to computing, and a version replaced while the cache was unreachable is lost,
so a value stored before the outage may be served until its timeout (each caller's bound).
"""

import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)


def cached(
    key: str,
    *,
    versions: Sequence[str],
    compute: Callable[[], object],
    timeout: int,
    parts: Sequence[str] = (),
):
    """The value stored under `key` if its stamp is the current one, else `compute()`, stored
    (unless it is None) under the current stamp."""
    found = cached_many(
        {key: (versions, parts)}, compute=lambda keys: {key: compute()}, timeout=timeout
    )
    return found[key]


def _current(keys: Sequence[str], found: dict) -> list[str]:
    current = []
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key)
        current.append(str(found[key]))
    return current


def replace_on_commit(keys: Sequence[str]) -> None:
    """What these versions stamp changed: replaced when the writer's transaction commits."""
    keys = sorted(set(keys))
    if keys:
        transaction.on_commit(lambda: replace(keys))


def replace(keys: Sequence[str]) -> None:
    try:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the write (docstring)
        log.warning("versions not replaced (cache unavailable): %s", keys, exc_info=True)


def cached_many(
    stamps: dict[str, tuple[Sequence[str], Sequence[str]]],
    *,
    compute: Callable[[list[str]], Mapping[str, Any]],
    timeout: int,
) -> dict[str, Any]:
    """`cached` for many keys in one MGET: `stamps` maps each key to its (versions, parts);
    `compute(keys)` gives the stale keys' values at once, stored (but None) under their current
    stamps."""
    versions = sorted({version for keys, _ in stamps.values() for version in keys})
    try:
        found = cache.get_many([*stamps, *versions])
        current = dict(zip(versions, _current(versions, found), strict=True))
    except Exception:  # noqa: BLE001 - the cache is an accelerator, never a requirement
        log.warning("cache unavailable: %d values computed", len(stamps), exc_info=True)
        return dict(compute(list(stamps)))
    values: dict[str, Any] = {}
    stale: list[str] = []
    fresh_stamps: dict[str, str] = {}
    for key, (keys, parts) in stamps.items():
        stamp = "|".join([*parts, *(current[version] for version in keys)])
        stored = found.get(key)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == stamp:
            values[key] = stored[1]
        else:
            stale.append(key)
            fresh_stamps[key] = stamp
    if stale:
        computed = compute(stale)
        values.update(computed)
        try:
            cache.set_many(
                {
                    key: (fresh_stamps[key], computed[key])
                    for key in stale
                    if computed[key] is not None
                },
                timeout=timeout,
            )
        except Exception:  # noqa: BLE001
            log.warning("cache unavailable: %d values not stored", len(stale), exc_info=True)
    return values
