"""A seeded seller world for one benchmark: a sandbox on loopback HTTP, its simulated clock, its record.

Every benchmark gets a fresh sandbox (full quota buckets, same seed, so ours and the peer's see the
same orders) served over real loopback HTTP, a ``ManualClock`` that only moves when a client sleeps
on it (no real waiting), and a ``Recorder`` of every answer. ``START`` is 2026-01-01T00:00:00Z.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from eiosdk import logging as step_logging
from mws_sandbox import Sandbox, serve

from mws_component.lib.mws.clock import ManualClock, utc
from mws_component.lib.mws.operations import format_timestamp

from .timeline import Recorder

START = 1_767_225_600.0
SEED = 7
RETAIL = ("ATVPDKIKX0DER", "A2EUQ1WTGCTBG2", "A1AM78C64UM0Y8", "A2Q3Y263D00KWC")
# Seeded orders reach back 30 days and 5 minutes (mws_sandbox.seeding); start the backfill before them.
BACKFILL_FROM = utc(START) - timedelta(days=31)


@dataclass
class World:
    clock: ManualClock
    sandbox: Sandbox
    url: str
    recorder: Recorder

    def credentials(self) -> dict:
        """Credential fields for steps and clients (they hold the secret key: never print them)."""
        return self.sandbox.credentials(self.url)

    def list_orders_cfg(self) -> dict:
        """listOrders fields: every retail marketplace, from before the first seeded order."""
        return {**self.credentials(), "marketplaceIds": ",".join(RETAIL),
                "startTime": format_timestamp(BACKFILL_FROM)}

    def elapsed_since_start(self) -> float:
        return self.clock.now() - START


@contextmanager
def world(orders: int) -> Iterator[World]:
    """A fresh sandbox with ``orders`` seeded orders, served on a free loopback port."""
    began = time.perf_counter()
    clock = ManualClock(START)
    sandbox = Sandbox(clock=clock, seed=SEED, orders=orders)
    recorder = Recorder(sandbox)
    progress(f"sandbox with {orders} orders seeded in {time.perf_counter() - began:.1f}s")
    with serve(sandbox) as server:
        yield World(clock, sandbox, server.url, recorder)


def quiet_step_logs() -> None:
    """Step and client log lines go to stderr, warnings and errors only: progress stays readable."""
    step_logging.configure(stream=sys.stderr, level="warn")


def progress(message: str) -> None:
    """Progress goes to stderr: stdout carries only the result."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)
