"""A seller world for order tests: one simulated clock shared by the sandbox (over real loopback HTTP)
and the client, so quotas restore and pacing waits cost no real time."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest

from eiosdk.component import Component
from eiosdk.executor import execute
from lib.connection import override
from lib.mws.clock import ManualClock
from mws_sandbox import Sandbox, serve

ROOT = Component.load(__import__("pathlib").Path(__file__).resolve().parents[2])
RETAIL = "ATVPDKIKX0DER,A2EUQ1WTGCTBG2,A1AM78C64UM0Y8,A2Q3Y263D00KWC"


@dataclass
class Run:
    bodies: list[dict] = field(default_factory=list)
    snapshots: list[dict] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


class Crash(Exception):
    """Stands for the process dying: raised from the emitter, it aborts ``process`` there, so nothing
    after it is emitted (the executor reports it as the step's error, which the tests ignore)."""


@dataclass
class World:
    clock: ManualClock
    sandbox: Sandbox
    url: str

    @property
    def cfg(self) -> dict:
        return {**self.sandbox.credentials(self.url), "marketplaceIds": RETAIL}

    def run(self, step_id: str, cfg: dict, snapshot: dict | None = None, body: dict | None = None,
            crash_after_snapshots: int | None = None) -> Run:
        """Run a step like the platform would; optionally die right after the n-th snapshot."""
        run = Run()

        async def emit(event, payload):
            run.events.append(event)
            if event == "data":
                run.bodies.append(payload.body)
            elif event == "snapshot":
                run.snapshots.append(payload)
                if crash_after_snapshots is not None and len(run.snapshots) >= crash_after_snapshots:
                    raise Crash()
            elif event == "error" and not isinstance(payload, Crash):
                run.errors.append(payload)

        step = ROOT.load_step(step_id)
        with override(clock=self.clock):
            asyncio.run(execute(step, {"body": body or {}}, cfg, snapshot or {}, emit))
        return run


@pytest.fixture
def world():
    clock = ManualClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z
    sandbox = Sandbox(clock=clock, seed=7, orders=300)
    with serve(sandbox) as server:
        yield World(clock, sandbox, server.url)
