"""The publish throttle lets ``limit`` passes per window and makes the rest wait (simulated time)."""

from __future__ import annotations

import asyncio

from eiosdk.sailor.throttle import Throttle


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def test_limit_per_interval_then_wait_for_the_window():
    clock = FakeTime()
    throttle = Throttle(3, 100, now=clock.time, sleep=clock.sleep)

    async def passes(n):
        times = []
        for _ in range(n):
            await throttle.wait()
            times.append(round(clock.now, 6))
        return times

    assert asyncio.run(passes(7)) == [0.0, 0.0, 0.0, 0.1, 0.1, 0.1, 0.2]


def test_passes_spread_out_need_no_wait():
    clock = FakeTime()
    throttle = Throttle(1, 100, now=clock.time, sleep=clock.sleep)

    async def spaced():
        for _ in range(3):
            await throttle.wait()
            clock.now += 0.15

    asyncio.run(spaced())
    assert clock.sleeps == []
