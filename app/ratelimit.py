"""Rate limits, in-process by default and shared through Redis when ODOP_REDIS_URL is set
(so several app processes count together). Built on the `limits` library."""

from __future__ import annotations

import time

from limits import RateLimitItem, parse, storage, strategies

from app.errors import TooManyRequests

# One place for every limit the service enforces.
LOGIN_FAILURES_PER_ACCOUNT = "5/15 minutes"
LOGIN_FAILURES_PER_ADDRESS = "20/15 minutes"
REGISTRATIONS_PER_ADDRESS = "20/hour"
INQUIRIES_PER_BUYER = "20/hour"
UPLOADS_PER_USER = "120/hour"


class RateLimiter:
    def __init__(self, redis_url: str | None = None) -> None:
        uri = redis_url if redis_url else "memory://"
        self.storage = storage.storage_from_string(uri)
        self.strategy = strategies.MovingWindowRateLimiter(self.storage)

    @staticmethod
    def _item(limit: str) -> RateLimitItem:
        return parse(limit)

    def retry_after(self, limit: str, *key: str) -> int:
        reset_at, _remaining = self.strategy.get_window_stats(self._item(limit), *key)
        return max(1, int(reset_at - time.time()) + 1)

    def check(self, limit: str, *key: str) -> None:
        """Raise 429 if `key` has used up `limit`, without counting this call."""
        item = self._item(limit)
        if not self.strategy.test(item, *key):
            raise TooManyRequests(self.retry_after(limit, *key))

    def hit(self, limit: str, *key: str) -> None:
        """Count one event against `limit` (e.g. a failed login)."""
        self.strategy.hit(self._item(limit), *key)

    def consume(self, limit: str, *key: str) -> None:
        """Count this call and raise 429 if the limit was already used up."""
        if not self.strategy.hit(self._item(limit), *key):
            raise TooManyRequests(self.retry_after(limit, *key))

    def reset(self) -> None:
        self.storage.reset()
