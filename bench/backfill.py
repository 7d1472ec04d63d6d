"""The listOrders backfill in a process of its own, so its peak RSS is the step's and not the sandbox's.

Run by ``bench.orders`` as ``python -m bench.backfill`` with ``{"cfg", "start", "url"}`` as JSON on
stdin (the cfg holds the secret key, so it never goes on a command line), it runs the real
listOrders step through ``eiosdk.testing.collect`` once, in simulated time, and prints one JSON
line: orders emitted, snapshots, errors, real seconds and peak RSS.

The sandbox lives in the parent process; ``SandboxClock`` keeps both on one simulated time: a
``ManualClock`` here whose every sleep also moves the sandbox's clock through the scenario API
(``POST /_sandbox/clock``). Only this process sleeps, so the two never drift.

Like the sailor, which publishes each message and keeps nothing, the harness counts what the step
emits and drops it, so the peak is what a platform container would need, not a test's list of
30,000 orders.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import requests
from eiosdk import logging as step_logging
from eiosdk.component import Component
from eiosdk.testing import Collected, collect

from mws_component import COMPONENT_ROOT
from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock

from .rss import peak_rss_mb

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 30.0


MAX_POLLS = 100


class SandboxClock:
    """This process's simulated clock; sleeping on it advances the sandbox's clock by as much."""

    def __init__(self, start: float, sandbox_url: str) -> None:
        self._clock = ManualClock(start)
        self._url = f"{sandbox_url}/_sandbox/clock"
        self._session = requests.Session()

    def now(self) -> float:
        return self._clock.now()

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self._clock.sleep(seconds)
        reply = self._session.post(self._url, json={"advanceSeconds": seconds}, timeout=TIMEOUT)
        reply.raise_for_status()



def backfill(cfg: dict, start: float, sandbox_url: str) -> dict[str, Any]:
    """Run listOrders poll after poll, each carrying the last one's snapshot, from ``cfg['startTime']``
    up to the sandbox's now, as the platform would; what came out of them."""
    step = Component.load(COMPONENT_ROOT).load_step("listOrders")
    counts = {"orders": 0, "snapshots": 0}

    def forget(event: str, payload: Any, out: Collected) -> None:
        if event == "data":
            counts["orders"] += 1
            out.bodies.clear()
        elif event in ("snapshot", "updateSnapshot"):
            counts["snapshots"] += 1
            out.snapshots.clear()

    before = peak_rss_mb()
    began = time.perf_counter()
    snapshot, errors, polls = None, [], 0
    with override(clock=SandboxClock(start, sandbox_url)):
        while polls < MAX_POLLS:  # a poll lasts at most lib.steps.POLL_SECONDS: the next one goes on
            polls += 1
            emitted = counts["orders"]
            out = collect(step, None, cfg, snapshot, forget)
            errors += [f"{type(e).__name__}: {e}" for e in out.errors]
            snapshot = out.snapshot
            if errors or counts["orders"] == emitted:
                break  # caught up (or failed): a poll that emits nothing ends the backfill
    return {**counts, "polls": polls, "errors": errors, "real_seconds": round(time.perf_counter() - began, 2),
            "rss_before_mb": before, "peak_rss_mb": peak_rss_mb()}


def main() -> int:
    job = json.load(sys.stdin)
    step_logging.configure(stream=sys.stderr, level="warn")
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries only the result line
        result = backfill(job["cfg"], float(job["start"]), job["url"])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
