"""The shared cache: Redis through django-redis, with local memory standing in when it fails.

Every page reads the cache (Wagtail's site lookup, the footer's settings, allauth's rate
limits), so Redis being down or hung must cost a miss, never an error page.
"""

import logging
import time
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Rate-limit counters live here while Redis is away: room for a busy server's clients.
FALLBACK_MAX_ENTRIES = 10_000


@dataclass
class Outage:
    """One Redis server's standing in this process, shared by every thread's cache object."""

    retry_at: float = 0.0
    logged_at: float | None = None
    reported: bool = False


outages: dict[str, Outage] = {}


class FallbackRedisCache(RedisCache):
    """django-redis whose failed calls are answered by this process's local memory instead.

    django-redis's IGNORE_EXCEPTIONS turns a failure into a miss, which is not enough:
    allauth's rate limits lock with `cache.add`, and with every add failing they refuse
    everyone after a second's wait. Local memory keeps pages serving and rate limits
    holding per app server. After a failure Redis is left alone for `retry_after` seconds,
    so a hung server costs each process one timeout per interval rather than one per call,
    and the failure is logged at most once every `log_every` seconds.
    """

    retry_after = 5.0
    log_every = 60.0

    def __init__(self, server, params):
        super().__init__(server, params)
        # Redis's errors must reach `_call`, which answers from local memory, rather than
        # come back from django-redis as misses.
        self._ignore_exceptions = False
        self._outage = outages.setdefault(str(server), Outage())
        self._local = LocMemCache(
            f"redis-fallback:{server}",
            {**params, "OPTIONS": {"MAX_ENTRIES": FALLBACK_MAX_ENTRIES}},
        )

    def redis_available(self) -> bool:
        """Whether Redis answers now (for /healthz), starting or ending an outage."""
        try:
            self.client.get_client().ping()
        except (RedisError, OSError) as error:
            self._failed(error)
            return False
        self._recovered()
        return True

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= self._outage.retry_at:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except (RedisError, OSError) as error:
                self._failed(error)
            else:
                self._recovered()
                return result
        return getattr(self._local, name)(*args, **kwargs)

    def _failed(self, error: Exception) -> None:
        outage, now = self._outage, time.monotonic()
        outage.retry_at = now + self.retry_after
        if outage.logged_at is None or now - outage.logged_at >= self.log_every:
            outage.logged_at, outage.reported = now, True
            logger.error(
                "Redis cache unavailable (%s: %s): this process uses local memory, "
                "trying Redis again every %g s",
                type(error).__name__,
                error,
                self.retry_after,
            )

    def _recovered(self) -> None:
        # A health check that reached Redis ends the wait early.
        self._outage.retry_at = 0.0
        if self._outage.reported:
            self._outage.reported = False
            logger.warning("Redis cache answering again")

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta=delta, version=version)

    def clear(self):
        return self._call("clear")
