"""Usage plans enforced: one token bucket per seller x operation, refilled on the sandbox clock.

A bucket starts full (``burst``) and gains ``rate`` tokens per second of sandbox time, so a test
that advances the clock sees exactly Amazon's restore; an empty bucket is 429 QuotaExceeded.
Reuses the MWS throttle's ``Bucket`` (same arithmetic, restore period = 1 / rate).
"""

from __future__ import annotations

from ..throttle import Bucket
from .errors import QuotaExceeded
from .plans import USAGE_PLANS

EPSILON = 1e-9  # rates like 0.0056/s refill in float steps that can land a hair under a whole token


class UsageQuota:
    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def take(self, seller_id: str, operation: str, now: float) -> None:
        """Spend one request of ``operation`` for ``seller_id``, or raise QuotaExceeded."""
        plan = USAGE_PLANS[operation]
        bucket = self._buckets.setdefault((seller_id, operation), Bucket(float(plan.burst), now))
        bucket.refill(now, plan.burst, 1.0 / plan.rate)
        if bucket.tokens < 1.0 - EPSILON:
            raise QuotaExceeded()
        bucket.tokens = max(bucket.tokens - 1.0, 0.0)

    def level(self, seller_id: str, operation: str) -> float | None:
        """Tokens left (for tests and stats); None before the first request."""
        bucket = self._buckets.get((seller_id, operation))
        return None if bucket is None else bucket.tokens

    def buckets(self) -> dict[tuple[str, str], Bucket]:
        """Every bucket used so far, by (seller, operation) (for the console)."""
        return dict(self._buckets)
