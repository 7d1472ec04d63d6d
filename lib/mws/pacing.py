"""Quota-aware pacing: a leaky bucket per (seller, throttle group), mirroring Amazon's own.

Amazon lets ``burst`` requests through at once and restores one every ``restore_seconds``; some
sections also cap requests per hour. Waiting *before* sending keeps a long sync at exactly that
rate instead of running into 503s. Every wait goes through the injected clock, so tests and
benchmarks run a simulated day in milliseconds.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from dataclasses import dataclass, field

from .clock import Clock
from .operations import Quota

HOUR = 3600.0


def _margin(quota: Quota) -> float:
    """A sliver of slack so float rounding on either side never turns a full bucket into a 503."""
    return max(quota.restore_seconds * 0.005, 0.002)


@dataclass
class Bucket:
    """One throttle group's state, as the client believes Amazon sees it."""

    quota: Quota
    tokens: float
    updated: float
    sent: deque = field(default_factory=deque)  # send times within the last hour (hourly quota)
    blocked_until: float = 0.0  # set from x-mws-quota-* when the hourly quota is used up

    def refill(self, now: float) -> None:
        if self.quota.restore_seconds > 0:
            gained = (now - self.updated) / self.quota.restore_seconds
            self.tokens = min(float(self.quota.burst), self.tokens + gained)
        else:
            self.tokens = float(self.quota.burst)
        self.updated = now
        while self.sent and self.sent[0] <= now - HOUR:
            self.sent.popleft()

    def wait_needed(self, now: float) -> float:
        self.refill(now)
        waits = [self.blocked_until - now]
        if self.tokens < 1.0:
            waits.append((1.0 - self.tokens) * self.quota.restore_seconds + _margin(self.quota))
        if self.quota.hourly and len(self.sent) >= self.quota.hourly:
            waits.append(self.sent[0] + HOUR - now + _margin(self.quota))
        return max(0.0, *waits)


class Pacer:
    """Buckets for every (seller, throttle group); share one per process so steps pace together."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._lock = threading.Lock()

    def _bucket(self, seller: str, quota: Quota) -> Bucket:
        key = (seller, quota.group)
        if key not in self._buckets:
            self._buckets[key] = Bucket(quota, float(quota.burst), self.clock.now())
        return self._buckets[key]

    def acquire(self, seller: str, quota: Quota) -> float:
        """Wait until one request of ``quota``'s group may go, take its token; return seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                bucket = self._bucket(seller, quota)
                wait = bucket.wait_needed(self.clock.now())
                if wait <= 0:
                    bucket.tokens -= 1.0
                    bucket.sent.append(self.clock.now())
                    return waited
            self.clock.sleep(wait)
            waited += wait

    def throttled(self, seller: str, quota: Quota) -> None:
        """Amazon said 503 RequestThrottled: its bucket is empty whatever ours believed."""
        with self._lock:
            bucket = self._bucket(seller, quota)
            bucket.refill(self.clock.now())
            bucket.tokens = min(bucket.tokens, 0.0)

    def hourly_exhausted(self, seller: str, quota: Quota, until: float) -> None:
        """The hourly quota is used up (x-mws-quota-remaining 0 or QuotaExceeded) until ``until``."""
        with self._lock:
            self._bucket(seller, quota).blocked_until = until


_PACERS: weakref.WeakKeyDictionary[Clock, Pacer] = weakref.WeakKeyDictionary()
_PACERS_LOCK = threading.Lock()


def pacer_for(clock: Clock) -> Pacer:
    """The process's pacer for ``clock``: every client on the same clock paces against the same buckets,
    as Amazon counts one seller's requests together whichever step sent them."""
    with _PACERS_LOCK:
        if clock not in _PACERS:
            _PACERS[clock] = Pacer(clock)
        return _PACERS[clock]
