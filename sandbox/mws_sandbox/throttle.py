"""Amazon's throttling: a leaky bucket per seller and throttle group, plus hourly quotas.

Quotas come from the sandbox's own table (``operations.QUOTAS``, mws.md §3.1, §4.1, §5). A bucket
holds ``burst`` requests and gains one every ``restore_seconds``; an empty bucket answers 503
RequestThrottled. Groups with an hourly quota also count requests in an hour that starts with
the first request, answer 503 QuotaExceeded when it is used up, and, for sections that send them
(Feeds, Reports, Products: ``hourly_headers``), report it in ``x-mws-quota-*`` headers.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import QuotaExceeded, RequestThrottled
from .operations import Operation
from .timefmt import iso_ms, quota_reset_text

HOUR = 3600.0


@dataclass
class Bucket:
    tokens: float
    updated: float

    def refill(self, now: float, burst: int, restore_seconds: float) -> None:
        if restore_seconds > 0:
            self.tokens = min(float(burst), self.tokens + (now - self.updated) / restore_seconds)
        self.updated = now


@dataclass
class HourWindow:
    start: float
    used: int = 0


class Throttle:
    def __init__(self) -> None:
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._hours: dict[tuple[str, str], HourWindow] = {}

    def take(self, seller_id: str, op: Operation, now: float) -> dict[str, str]:
        """Spend one request of ``op``'s group for ``seller_id``; returns the quota headers to send."""
        quota = op.quota
        key = (seller_id, quota.group)
        bucket = self._buckets.setdefault(key, Bucket(float(quota.burst), now))
        bucket.refill(now, quota.burst, quota.restore_seconds)
        window = self._window(key, now) if quota.hourly else None
        if window is not None and window.used >= quota.hourly:
            raise QuotaExceeded(self._quota_message(op, window), headers=self._headers(op, window))
        if bucket.tokens < 1.0:
            raise RequestThrottled(headers=self._headers(op, window))
        bucket.tokens -= 1.0
        if window is not None:
            window.used += 1
        return self._headers(op, window)

    def _window(self, key: tuple[str, str], now: float) -> HourWindow:
        window = self._hours.get(key)
        if window is None or now >= window.start + HOUR:
            window = self._hours[key] = HourWindow(now)
        return window

    @staticmethod
    def _headers(op: Operation, window: HourWindow | None) -> dict[str, str]:
        if window is None or not op.section.hourly_headers:
            return {}
        hourly = float(op.quota.hourly or 0)
        return {"x-mws-quota-max": f"{hourly:.1f}",
                "x-mws-quota-remaining": f"{max(hourly - window.used, 0.0):.1f}",
                "x-mws-quota-resetsOn": iso_ms(window.start + HOUR)}

    @staticmethod
    def _quota_message(op: Operation, window: HourWindow) -> str:
        """Amazon's wording, e.g. for Reports/2009-01-01/GetReportRequestList."""
        return (f"You exceeded your quota of {float(op.quota.hourly or 0):.1f} requests per 1 hour for operation "
                f"{op.section.path.strip('/')}/{op.action}.  Your quota will reset on "
                f"{quota_reset_text(window.start + HOUR)}")

    def level(self, seller_id: str, group: str) -> float | None:
        """Tokens left in a bucket (for tests and stats); None before its first request."""
        bucket = self._buckets.get((seller_id, group))
        return None if bucket is None else bucket.tokens

    def buckets(self) -> dict[tuple[str, str], tuple[Bucket, HourWindow | None]]:
        """Every bucket used so far, by (seller, group), with its hour window (for the console)."""
        return {key: (bucket, self._hours.get(key)) for key, bucket in self._buckets.items()}
