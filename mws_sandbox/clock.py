"""The sandbox's default clock: real time plus an offset that the scenario API can move forward.

A live server (``mws-component sandbox``) must let a user say "an hour passes" so quotas restore
and feeds finish without waiting; tests instead pass ``lib.mws.clock.ManualClock``.
"""

from __future__ import annotations

import threading

from lib.mws.clock import Clock, SystemClock


class OffsetClock:
    """``base.now() + offset``; ``advance`` grows the offset, ``sleep`` waits on the base clock."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
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
    """A clock that has ``advance``: the one given (e.g. ManualClock) or an offset over it."""
    if clock is not None and callable(getattr(clock, "advance", None)):
        return clock
    return OffsetClock(clock)
