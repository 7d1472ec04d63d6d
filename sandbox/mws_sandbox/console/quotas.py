"""The quota page's numbers: each throttle bucket as it stands now, and requests over time.

Buckets are read, never refilled: the level shown is what a request at ``now`` would find. A group
or operation nobody called yet has a full bucket. MWS buckets are per seller and throttle group
(operations in one group share a bucket), SP-API ones per seller and operation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..operations import OPERATIONS, QUOTAS
from ..requestlog import Entry
from ..spapi.plans import USAGE_PLANS
from ..throttle import HOUR, Bucket, HourWindow
from ..timefmt import iso_ms

STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400)
BINS = 60


@dataclass(frozen=True)
class BucketRow:
    api: str
    name: str
    operations: tuple[str, ...]
    burst: int
    level: float
    restore: str
    next_token: float | None  # seconds until the next whole token; None when full
    hourly: str = ""
    requests: int = 0
    throttled: int = 0

    @property
    def used(self) -> float:
        return self.burst - self.level


def _level(bucket: Bucket | None, burst: int, restore_seconds: float, now: float) -> float:
    if bucket is None:
        return float(burst)
    gained = (now - bucket.updated) / restore_seconds if restore_seconds > 0 else 0.0
    return min(float(burst), bucket.tokens + gained)


def _next_token(level: float, burst: int, restore_seconds: float) -> float | None:
    if level >= burst - 1e-9:
        return None
    return (1.0 - (level - math.floor(level))) * restore_seconds


def _hourly(limit: int | None, window: HourWindow | None, now: float) -> str:
    if not limit:
        return ""
    if window is None or now >= window.start + HOUR:
        return f"0 / {limit}"
    return f"{window.used} / {limit} (resets {iso_ms(window.start + HOUR)})"


def _counts(entries: list[Entry], operations: tuple[str, ...]) -> tuple[int, int]:
    mine = [e for e in entries if e.operation in operations]
    return len(mine), sum(e.throttled for e in mine)


def mws_rows(buckets: dict, seller_id: str, entries: list[Entry], now: float) -> list[BucketRow]:
    rows = []
    for group, quota in QUOTAS.items():
        bucket, window = buckets.get((seller_id, group), (None, None))
        level = _level(bucket, quota.burst, quota.restore_seconds, now)
        ops = tuple(name for name, op in OPERATIONS.items() if op.quota.group == group)
        rows.append(BucketRow("MWS", group, ops, quota.burst, level, f"1 every {quota.restore_seconds:g} s",
                              _next_token(level, quota.burst, quota.restore_seconds),
                              _hourly(quota.hourly, window, now), *_counts(entries, ops)))
    return rows


def sp_api_rows(buckets: dict, seller_id: str, entries: list[Entry], now: float) -> list[BucketRow]:
    rows = []
    for operation, plan in USAGE_PLANS.items():
        restore_seconds = 1.0 / plan.rate
        level = _level(buckets.get((seller_id, operation)), plan.burst, restore_seconds, now)
        rows.append(BucketRow("SP-API", operation, (operation,), plan.burst, level, f"{plan.rate:g} per s",
                              _next_token(level, plan.burst, restore_seconds), "",
                              *_counts(entries, (operation,))))
    return rows


@dataclass(frozen=True)
class Bar:
    x: float
    ok: int
    throttled: int
    failed: int
    label: str

    @property
    def total(self) -> int:
        return self.ok + self.throttled + self.failed


@dataclass(frozen=True)
class Plot:
    """Requests per time bin over the log's span (at most ``BINS`` bins), ready for the SVG template."""

    bars: tuple[Bar, ...]
    bin_seconds: int
    peak: int
    start: str
    end: str


def _bin_seconds(span: float) -> int:
    return next((step for step in STEPS if span / step <= BINS), STEPS[-1])


def plot(entries: list[Entry], now: float) -> Plot:
    first = min((e.time for e in entries), default=now)
    size = _bin_seconds(max(now - first, 60.0))
    start = max(first, now - size * BINS)
    count = max(1, math.ceil((now - start) / size))
    cells = [[0, 0, 0] for _ in range(count)]
    for entry in entries:
        if entry.time >= start:
            cell = cells[min(int((entry.time - start) // size), count - 1)]
            cell[1 if entry.throttled else 2 if entry.failed else 0] += 1
    bars = tuple(Bar(i / count, ok, thr, err, iso_ms(start + i * size)) for i, (ok, thr, err) in enumerate(cells))
    return Plot(bars, size, max((b.total for b in bars), default=0), iso_ms(start), iso_ms(now))
