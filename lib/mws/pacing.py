"""Quota-aware pacing: a leaky bucket per (seller, throttle group), mirroring Amazon's own.

Amazon lets ``burst`` requests through at once and restores one every ``restore_seconds``; some
sections also cap requests per hour. Waiting *before* sending keeps a long sync at exactly that
rate instead of running into 503s. Every wait goes through the injected clock, so tests and
benchmarks run a simulated day in milliseconds.

Every wait is bounded: ``acquire`` raises ``QuotaWaitError`` (with ``retry_after``) instead of
sleeping longer than its ``max_wait``, and an hourly reset announced for later than an hour from now
is not believed beyond the hour.

``Pacer`` is the in-process ``QuotaStore``; ``shared_quota.RedisQuotaStore`` is the one shared by every
replica of a seller's flows. A process chooses one store (``lib.connection.Connections`` does) and
hands it to every client. Replicas without a shared store pace with ``adaptive=True``: each group's
rate is then also cut on every throttle and probed back up (``adaptive.AdaptiveRate``).

Every wait is also told, before it is slept, to the ``WaitObserver`` the caller passes (a ``Wait``:
how long, for which group, why), so a person watching a long sync sees why it is quiet.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

from .adaptive import AdaptiveRate
from .clock import Clock
from .errors import QuotaWaitError
from .operations import Quota

HOUR = 3600.0
MAX_WAIT = 900.0  # the longest ``acquire`` sleeps unless told otherwise


def _margin(quota: Quota) -> float:
    """A sliver of slack so float rounding on either side never turns a full bucket into a 503."""
    return max(quota.restore_seconds * 0.005, 0.002)


def transit(quota: Quota) -> float:
    """How much later than we take a token from a *full* bucket Amazon may see the request.

    A full bucket starts restoring when the request arrives, up to a network trip after we took the
    token: counting the restore from our side would be that much early, and the first request after
    the burst would meet a 503. So a full bucket's restore is counted from this much later.
    """
    return min(quota.restore_seconds * 0.1, 0.5)


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
            gained = max(0.0, now - self.updated) / self.quota.restore_seconds
            self.tokens = min(float(self.quota.burst), self.tokens + gained)
        else:
            self.tokens = float(self.quota.burst)
        self.updated = max(self.updated, now)
        while self.sent and self.sent[0] <= now - HOUR:
            self.sent.popleft()

    def wait_needed(self, now: float) -> float:
        return max(0.0, *self.waits(now).values())

    def waits(self, now: float) -> dict[str, float]:
        """Seconds until a request may go, by reason; the longest one rules."""
        self.refill(now)
        hourly = self.blocked_until - now
        if self.quota.hourly and len(self.sent) >= self.quota.hourly:
            hourly = max(hourly, self.sent[0] + HOUR - now + _margin(self.quota))
        tokens = 0.0
        if self.tokens < 1.0:
            tokens = ((1.0 - self.tokens) * self.quota.restore_seconds + _margin(self.quota)
                      + max(0.0, self.updated - now))  # restoring starts later after a full bucket
        return {"the hourly quota is used up": hourly, "the request quota is used up": tokens}


@dataclass(frozen=True)
class Wait:
    """A wait about to be slept before a request may go (by the pacer, or the client between retries)."""

    seconds: float
    group: str  # the throttle group (e.g. ListOrders) or, for a backoff, the operation
    reason: str  # "quota" (no token in the burst), "hourly" (hourly quota used up) or "backoff"
    burst: int = 0  # the group's burst ...
    used: int = 0  # ... and how much of it is spent
    error: str = ""  # backoff: what failed

    @property
    def subject(self) -> str:
        """What is waited for: ``ListOrders quota``, ``ListOrders hourly quota``, ``a retry of ListOrders``."""
        return {"backoff": f"a retry of {self.group}", "hourly": f"{self.group} hourly quota"}.get(
            self.reason, f"{self.group} quota")

    def describe(self) -> str:
        """``waiting 58 s for ListOrders quota (6 burst used)``."""
        why = {"backoff": f"after {self.error or 'an error'}", "hourly": "used up"}.get(
            self.reason, f"{self.used} burst used")
        return f"waiting {_seconds(self.seconds)} for {self.subject} ({why})"


def _seconds(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds // 60:.0f} min {seconds % 60:.0f} s"
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"


class WaitObserver(Protocol):
    """Told of each wait before it is slept; must return quickly (the wait has not started)."""

    def waiting(self, wait: Wait) -> None: ...


class QuotaStore(Protocol):
    """Where a process takes a seller's quota: ``Pacer`` (this process) or ``RedisQuotaStore`` (shared)."""

    def acquire(self, seller: str, quota: Quota, max_wait: float = MAX_WAIT,
                observer: WaitObserver | None = None) -> float: ...

    def throttled(self, seller: str, quota: Quota) -> None: ...

    def hourly_exhausted(self, seller: str, quota: Quota, until: float) -> None: ...


ADAPTIVE = "the adaptive rate after throttles"


class Pacer:
    """Buckets for every (seller, throttle group); share one per process so steps pace together.

    ``adaptive``: also keep an ``AdaptiveRate`` per bucket, for replicas that share the seller's
    quota with others they cannot see (no shared store): off by default (one process alone).
    """

    def __init__(self, clock: Clock, *, adaptive: bool = False) -> None:
        self.clock = clock
        self.adaptive = adaptive
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._rates: dict[tuple[str, str], AdaptiveRate] = {}
        self._lock = threading.Lock()

    def _bucket(self, seller: str, quota: Quota) -> Bucket:
        key = (seller, quota.group)
        if key not in self._buckets:
            self._buckets[key] = Bucket(quota, float(quota.burst), self.clock.now())
        return self._buckets[key]

    def _rate(self, seller: str, quota: Quota) -> AdaptiveRate | None:
        if not self.adaptive or quota.restore_seconds <= 0:
            return None
        return self._rates.setdefault((seller, quota.group), AdaptiveRate(quota.restore_seconds))

    def _waits(self, seller: str, quota: Quota, now: float, budget: float) -> tuple[Bucket, dict[str, float]]:
        """The waits by reason. The adaptive rate is advice: when following it would cost more than
        ``budget`` it is dropped (better a request Amazon may throttle than a message put off for it)."""
        bucket = self._bucket(seller, quota)
        waits = bucket.waits(now)
        rate = self._rate(seller, quota)
        if rate is not None and rate.wait(now) <= budget:
            waits[ADAPTIVE] = rate.wait(now)
        return bucket, waits

    def acquire(self, seller: str, quota: Quota, max_wait: float = MAX_WAIT,
                observer: WaitObserver | None = None) -> float:
        """Wait until one request of ``quota``'s group may go, take its token; return seconds waited.

        Raises ``QuotaWaitError`` (nothing taken, nothing slept) when the request could only go after
        more than ``max_wait`` seconds in all. ``observer`` hears of each wait before it is slept.
        """
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock.now()
                bucket, waits = self._waits(seller, quota, now, max_wait - waited)
                wait = max(0.0, *waits.values())
                if wait <= 0:
                    if bucket.tokens >= bucket.quota.burst:
                        bucket.updated = now + transit(quota)
                    bucket.tokens -= 1.0
                    bucket.sent.append(now)
                    if (rate := self._rate(seller, quota)) is not None:
                        rate.sent(now)
                    return waited
            if waited + wait > max_wait:
                raise too_long(quota, waits, wait, max_wait - waited)
            if observer is not None:
                observer.waiting(_wait(bucket, waits, wait))
            self.clock.sleep(wait)
            waited += wait

    def throttled(self, seller: str, quota: Quota) -> None:
        """Amazon said 503 RequestThrottled: its bucket is empty whatever ours believed."""
        with self._lock:
            bucket = self._bucket(seller, quota)
            bucket.refill(self.clock.now())
            bucket.tokens = min(bucket.tokens, 0.0)
            bucket.updated = self.clock.now()  # Amazon's word on its bucket now replaces any transit allowance
            if (rate := self._rate(seller, quota)) is not None:
                rate.throttled(self.clock.now())

    def hourly_exhausted(self, seller: str, quota: Quota, until: float) -> None:
        """The hourly quota is used up (x-mws-quota-remaining 0 or QuotaExceeded) until ``until``.

        An hourly quota resets within the hour: a later ``until`` (a wrong or hostile resetsOn) counts
        as one hour from now.
        """
        with self._lock:
            self._bucket(seller, quota).blocked_until = min(until, self.clock.now() + HOUR)


def _wait(bucket: Bucket, waits: dict[str, float], wait: float) -> Wait:
    hourly = waits["the hourly quota is used up"] >= waits["the request quota is used up"]
    quota = bucket.quota
    used = quota.burst - max(0, min(quota.burst, int(bucket.tokens)))
    return wait_of(quota, wait, hourly, used)


def wait_of(quota: Quota, seconds: float, hourly: bool, used: int) -> Wait:
    return Wait(seconds, quota.group, "hourly" if hourly else "quota", quota.burst, used)


def too_long(quota: Quota, waits: dict[str, float], wait: float, allowed: float) -> QuotaWaitError:
    reason = max(waits, key=waits.__getitem__)
    return QuotaWaitError(
        f"{reason} for {quota.group}: the next request may go in {wait:.0f} s, longer than the "
        f"{max(allowed, 0.0):.0f} s this call may still wait", retry_after=wait,
    )


_PACERS: weakref.WeakKeyDictionary[Clock, Pacer] = weakref.WeakKeyDictionary()
_PACERS_LOCK = threading.Lock()


def pacer_for(clock: Clock) -> Pacer:
    """The process's pacer for ``clock``: every client on the same clock paces against the same buckets,
    as Amazon counts one seller's requests together whichever step sent them.

    What a client built without a ``pacer`` uses; the steps get theirs from ``Connections``, which
    chooses the process's ``QuotaStore`` once (shared through Redis, or this local one).
    """
    with _PACERS_LOCK:
        if clock not in _PACERS:
            _PACERS[clock] = Pacer(clock)
        return _PACERS[clock]
