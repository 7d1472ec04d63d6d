"""order_items: the real listOrderItems action, once per order, over thousands of orders.

Each order is one message through ``eiosdk.testing.collect``, as the platform would deliver it. The
steps share one ``Pacer``, as they do in a real container (the client's process-wide pacer), so
the action's calls are paced together against ListOrderItems' quota (burst 30, one per 2 s).
"""

from __future__ import annotations

import time
from pathlib import Path

from eiosdk.component import Component
from eiosdk.testing import collect

from mws_component import COMPONENT_ROOT
from mws_component.lib.connection import override
from mws_component.lib.mws.pacing import Pacer

from . import quota
from .timeline import Event
from .world import progress, world

ROOT = Path(__file__).resolve().parents[1]


def run(orders: int) -> tuple[dict, list[Event]]:
    """Fetch the items of each of ``orders`` seeded orders; the result and the sandbox's timeline."""
    step = Component.load(COMPONENT_ROOT).load_step("listOrderItems")
    with world(orders) as w:
        ids = [o["amazonOrderId"] for o in w.sandbox.orders_truth()]
        cfg = w.credentials()
        progress(f"order_items: listOrderItems for {len(ids)} orders")
        began, items, failed = time.perf_counter(), 0, []
        with override(clock=w.clock, pacer=Pacer(w.clock)):
            for order_id in ids:
                out = collect(step, {"amazonOrderId": order_id}, cfg)
                failed += [f"{order_id}: {type(e).__name__}: {e}" for e in out.errors]
                items += sum(len(body["orderItems"]) for body in out.bodies)
        real = time.perf_counter() - began
        stats = w.sandbox.stats()
    usage = quota.usage(w.recorder.events, stats, "ListOrderItems")
    progress(f"order_items: {usage['pages']} pages, efficiency {usage['efficiency']}, "
             f"throttled {usage['throttled_ratio']}")
    return {"orders": len(ids), "items": items, **usage, "virtual_hours": round(w.elapsed_since_start() / 3600, 2),
            "real_seconds": round(real, 1), "step_errors": failed[:5], "failed_orders": len(failed)}, w.recorder.events
