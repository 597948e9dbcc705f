"""Rate limits counted in the shared cache: fixed windows, several counters consumed at once.

`consume((name, key, Rate(count, seconds)), ...)` counts one use (or the counter's own cost,
a fourth item) against every counter, or against none: when any counter would pass its count,
every increment is taken back and `Throttled` says how long to wait. Only the cache API is
used: with a local cache the counts are per process; with Redis away (connect/cache.py) nothing
can be counted, and the limit is not enforced, logged, rather than the request failing.
"""

import contextlib
import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from connect.cache import CacheUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


class Throttled(Exception):
    def __init__(self, wait: int):
        super().__init__(f"throttled for {wait} s")
        self.wait = wait

    @property
    def message(self) -> str:
        return f"Trop de demandes en peu de temps. Réessayez dans {wait_text(self.wait)}."


def wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} seconde" + ("s" if seconds > 1 else "")
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute" + ("s" if minutes > 1 else "")


Counter = tuple[str, object, Rate] | tuple[str, object, Rate, int]


def consume(*counters: Counter, log: logging.Logger = logger) -> None:
    """Count against every counter, or raise Throttled; `log` tells of a limit not enforced."""
    now = time.time()
    taken: list[tuple[str, int]] = []
    wait = 0
    for name, key, rate, *more in counters:
        cost = more[0] if more else 1
        if cost <= 0:
            continue
        window = int(now // rate.seconds)
        # Hashed: keys may be e-mails or IPs, and must not be readable from the cache.
        digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
        cache_key = f"throttle:{name}:{digest}:{window}"
        cache.add(cache_key, 0, rate.seconds * 2)
        try:
            count = cache.incr(cache_key, cost)
        except ValueError:  # evicted between add and incr: this use starts a new window
            cache.set(cache_key, cost, rate.seconds * 2)
            count = cost
        except CacheUnavailable:
            log.warning("%s rate limit not enforced for %s: cache unavailable", name, key)
            return
        taken.append((cache_key, cost))
        if count > rate.count:
            wait = max(wait, rate.seconds - int(now) % rate.seconds)
    if wait:
        for cache_key, cost in taken:
            with contextlib.suppress(ValueError):  # expired meanwhile: nothing to take back
                cache.decr(cache_key, cost)
        raise Throttled(wait)


def throttled_page(request: HttpRequest, error: Throttled) -> HttpResponse:
    """The plain answer of a refused request: 429, the French message and Retry-After."""
    response = render(request, "throttled.html", {"message": error.message}, status=429)
    response["Retry-After"] = str(error.wait)
    return response
