"""Request counts per operation, as ``GET /_sandbox/stats`` reports them (benchmarks read them)."""

from __future__ import annotations

from collections import defaultdict

THROTTLE_CODES = ("RequestThrottled", "QuotaExceeded")


class Stats:
    def __init__(self) -> None:
        self._ops: dict[str, dict[str, int]] = defaultdict(lambda: {"requests": 0, "throttled": 0, "errors": 0})

    def record(self, operation: str, status: int, code: str | None) -> None:
        counts = self._ops[operation]
        counts["requests"] += 1
        if code in THROTTLE_CODES:
            counts["throttled"] += 1
        elif status >= 400:
            counts["errors"] += 1

    def as_dict(self) -> dict:
        ops = {name: dict(counts) for name, counts in sorted(self._ops.items())}
        totals = {key: sum(c[key] for c in ops.values()) for key in ("requests", "throttled", "errors")}
        return {**totals, "operations": ops}
