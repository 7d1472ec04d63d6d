"""The sandbox's clock protocol and its default clock: real time plus an offset the scenario API moves.

A clock is any object with ``now()`` (seconds since the epoch, UTC) and ``sleep(seconds)``; tests
pass the client's ``ManualClock`` (it also has ``advance``), which fits by duck typing. A live
server (``mws-component sandbox``) must let a user say "an hour passes" so quotas restore and
feeds finish without waiting: ``OffsetClock`` does that over real time.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (UTC)."""

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""


class RealClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class OffsetClock:
    """``base.now() + offset``; ``advance`` grows the offset, ``sleep`` waits on the base clock."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or RealClock()
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._base.now() + self._offset

    def sleep(self, seconds: float) -> None:
        self._base.sleep(seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds


def advanceable(clock: Clock | None) -> Clock:
    """A clock that has ``advance``: the one given (e.g. a ManualClock) or an offset over it."""
    if clock is not None and callable(getattr(clock, "advance", None)):
        return clock
    return OffsetClock(clock)
