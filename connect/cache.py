"""Redis as a cache that may fail: while it is away every read misses, every write is dropped,
and the portal carries on from the database (sessions are `cached_db`). Counters cannot be
faked, so `incr` raises CacheUnavailable and its caller chooses (connect/api/auth.py).

After a failure Redis is left alone for RETRY_AFTER seconds, so a request does not pay a
connection timeout per cache call.
"""

import logging
import time
from typing import Any

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("connect.cache")

RETRY_AFTER = 2.0


class CacheUnavailable(Exception):
    pass


def set_many_or_raise(data: dict[str, Any], timeout: float | None = None) -> None:
    """`cache.set_many`, for a write that must not be dropped quietly (an invalidation that
    ends someone's access): Redis is tried even during the pause after a failure, and a failed
    write raises CacheUnavailable."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    try:
        if isinstance(backend, ForgivingRedisCache):
            failed = RedisCache.set_many(backend, data, timeout)
        else:
            failed = backend.set_many(data, timeout)
    except RedisError as error:
        raise CacheUnavailable(str(error)) from error
    if failed:
        raise CacheUnavailable(f"not written: {failed}")


def delete_or_raise(key: str) -> None:
    """`cache.delete` that raises CacheUnavailable when Redis did not take it (as above)."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    try:
        if isinstance(backend, ForgivingRedisCache):
            RedisCache.delete(backend, key)
        else:
            backend.delete(key)
    except RedisError as error:
        raise CacheUnavailable(str(error)) from error


class ForgivingRedisCache(RedisCache):
    _down_until = 0.0

    def _try(self, operation: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
            if ForgivingRedisCache._down_until == 0.0 or time.monotonic() >= self._down_until:
                logger.warning("Redis unavailable (%s): cache bypassed", error)
            ForgivingRedisCache._down_until = time.monotonic() + RETRY_AFTER
            return default

    def get(self, key, default=None, version=None):
        return self._try("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._try("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._try("has_key", False, key, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._try("delete_many", None, keys, version)

    def clear(self):
        return self._try("clear", False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._try("incr", missing, key, delta, version)
        if value is missing:
            raise CacheUnavailable("Redis unavailable")
        return value
