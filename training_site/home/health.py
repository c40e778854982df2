"""Each dependency's state, for /healthz: the database, the cache and the email outbox."""

import logging

from django.core.cache import caches
from django.db import DatabaseError, connection
from mailer.models import Message

from .cache import FallbackRedisCache

logger = logging.getLogger(__name__)


def database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("Health check: the database did not answer (%s)", error)
        return False
    return True


def cache_state() -> str:
    """Redis "up" or "down"; "local" when there is no Redis and each server keeps its own."""
    cache = caches["default"]
    if isinstance(cache, FallbackRedisCache):
        return "up" if cache.redis_available() else "down"
    return "local"


def outbox_backlog() -> int:
    """Emails queued and not yet sent (deferred ones included)."""
    return Message.objects.count()
