"""Time as an injected object, so pacing, backoff and server-time logic run in simulated time in tests.

``SystemClock`` is the real one. ``ManualClock`` only moves when told to (``sleep`` or ``advance``);
the sandbox, the tests and the benchmarks share one to run a simulated day without sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (UTC)."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class ManualClock:
    """A clock that advances only when someone sleeps on it or calls ``advance``. Thread-safe."""

    def __init__(self, start: float | datetime = 1_700_000_000.0) -> None:
        self._now = start.timestamp() if isinstance(start, datetime) else float(start)
        self._lock = threading.Lock()
        self.slept = 0.0

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._now += seconds
                self.slept += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)
