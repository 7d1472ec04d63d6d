"""Client-side rate limits on publishing (``DATA_RATE_LIMIT`` per ``RATE_INTERVAL`` ms and friends).

The platform caps a step at about 100 messages per second; the Node sailor throttles itself with
``p-throttle`` so that a fast step waits instead of being cut off. Time is injected (``now``/``sleep``)
so the tests run the window logic without waiting.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import Awaitable, Callable


class Throttle:
    """At most ``limit`` passes in any ``interval_ms`` window; callers over the limit wait their turn."""

    def __init__(self, limit: int, interval_ms: int, *, now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.limit = max(1, int(limit))
        self.interval = max(0, interval_ms) / 1000.0
        self._now = now
        self._sleep = sleep
        self._passes: collections.deque[float] = collections.deque()
        self._lock = asyncio.Lock()
        self._queued = 0  # callers inside the lock or waiting for it

    async def wait(self) -> None:
        if not self._queued and self._pass(self._now()):  # no one waits and the window has room: go at once
            return
        self._queued += 1
        try:
            async with self._lock:
                while True:
                    now = self._now()
                    if self._pass(now):
                        return
                    await self._sleep(self._passes[0] + self.interval - now)
        finally:
            self._queued -= 1

    def _pass(self, now: float) -> bool:
        """Take a pass in the window ending ``now`` if there is room."""
        while self._passes and now - self._passes[0] >= self.interval:
            self._passes.popleft()
        if len(self._passes) < self.limit:
            self._passes.append(now)
            return True
        return False
