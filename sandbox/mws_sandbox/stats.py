"""Request counts per operation, as ``GET /_sandbox/stats`` reports them (benchmarks read them).

Given a ``log`` (``requestlog.RequestLog``), each recorded call also completes its log entry.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

THROTTLE_CODES = ("RequestThrottled", "QuotaExceeded")


class CallLog(Protocol):
    def finish(self, operation: str, status: int, code: str | None) -> None: ...


class Stats:
    def __init__(self, log: CallLog | None = None) -> None:
        self._log = log
        self._ops: dict[str, dict[str, int]] = defaultdict(lambda: {"requests": 0, "throttled": 0, "errors": 0})

    def record(self, operation: str, status: int, code: str | None) -> None:
        counts = self._ops[operation]
        counts["requests"] += 1
        if code in THROTTLE_CODES:
            counts["throttled"] += 1
        elif status >= 400:
            counts["errors"] += 1
        if self._log is not None:
            self._log.finish(operation, status, code)

    def as_dict(self) -> dict:
        ops = {name: dict(counts) for name, counts in sorted(self._ops.items())}
        totals = {key: sum(c[key] for c in ops.values()) for key in ("requests", "throttled", "errors")}
        return {**totals, "operations": ops}
