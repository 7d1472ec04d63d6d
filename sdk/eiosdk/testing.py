"""Run a step in-process and keep everything it emitted: the SDK's own test double for its seam.

The demo, the tests and the benchmarks use it to drive real steps exactly as the platform would
(through ``executor.execute``), without a message bus; ``on_event`` can stand in for the process
dying at a chosen moment (raise from it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import snapshot as snapshots
from .component import LoadedStep
from .executor import execute


@dataclass
class Collected:
    bodies: list[dict] = field(default_factory=list)
    snapshots: list[Any] = field(default_factory=list)  # every snapshot/updateSnapshot payload, in order
    snapshot: Any = None  # the snapshot after applying them all
    errors: list[BaseException] = field(default_factory=list)
    rebounds: list[BaseException] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


def collect(step: LoadedStep, body: dict | None = None, cfg: dict | None = None, snapshot: Any = None,
            on_event: Callable[[str, Any, Collected], None] | None = None) -> Collected:
    """Run ``step`` once on a message with ``body`` and return what it emitted."""
    out = Collected(snapshot=snapshot if snapshot is not None else {})

    async def emit(event: str, payload: Any) -> None:
        out.events.append(event)
        if event == "data":
            out.bodies.append(payload.body)
        elif event in ("snapshot", "updateSnapshot"):
            out.snapshots.append(payload)
            out.snapshot = snapshots.apply(out.snapshot, event, payload)
        elif event == "error":
            out.errors.append(payload)
        elif event == "rebound":
            out.rebounds.append(payload)
        if on_event is not None:
            on_event(event, payload, out)

    asyncio.run(execute(step, {"body": body or {}}, cfg or {}, out.snapshot, emit))
    return out
