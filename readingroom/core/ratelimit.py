"""Fixed-window rate limits kept in the cache (per process by default, shared with Redis).

Used for posting, following and other writes; answering 429 with Retry-After is done by
RateLimitedMiddleware so views only call `check_rate(...)`.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


def check_rate(scope: str, key: object, *, limit: int, period: int) -> None:
    """Count one hit for (scope, key); raise RateLimited past `limit` hits in `period` seconds."""
    if not settings.RR_RATE_LIMITS_ENABLED:
        return
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    added = cache.add(cache_key, 1, timeout=period + 1)
    count = 1 if added else cache.incr(cache_key)
    if count > limit:
        raise RateLimited(retry_after=period - int(time.time()) % period)
