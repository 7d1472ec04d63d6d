"""orders_sync: the real listOrders step backfilling a month of orders against the sandbox.

The sandbox (seeded with enough orders for hundreds of ListOrders/ByNextToken pages) is served
from this process; the step runs in a child process (``bench.backfill``) so its peak RSS is
measured on its own, and both share one simulated clock, so a backfill of several simulated hours
takes seconds. Efficiency and throttling are read from what the sandbox answered.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from . import quota
from .timeline import Event
from .world import START, World, progress, world

ROOT = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT = 900.0


def run(orders: int) -> tuple[dict, list[Event]]:
    """Result of one backfill of ``orders`` seeded orders, and the sandbox's timeline (for the plot)."""
    with world(orders) as w:
        expected = len(w.sandbox.orders_truth())
        progress(f"orders_sync: listOrders backfill of {expected} orders in a child process")
        began = time.perf_counter()
        child = _run_child(w)
        real = time.perf_counter() - began
        stats = w.sandbox.stats()
    usage = quota.usage(w.recorder.events, stats, "ListOrders")
    usage |= quota.delivery(w.recorder.events, "ListOrders", child["orders"], quota.ORDERS_PER_PAGE)
    result = {
        "orders": child["orders"], "orders_in_sandbox": expected, "complete": child["orders"] == expected,
        **usage, "virtual_hours": round(w.elapsed_since_start() / 3600, 2),
        "orders_per_virtual_hour": quota.per_hour(child["orders"], w.elapsed_since_start()),
        "real_seconds": round(real, 1), "step_real_seconds": child["real_seconds"],
        "peak_rss_mb": child["peak_rss_mb"], "rss_before_backfill_mb": child["rss_before_mb"],
        "snapshots": child["snapshots"], "polls": child["polls"], "step_errors": child["errors"],
    }
    progress(f"orders_sync: {usage['pages']} pages, orders efficiency {usage['orders_efficiency']}, "
             f"throttled {usage['throttled_ratio']}, peak RSS {child['peak_rss_mb']} MB")
    return result, w.recorder.events


def _run_child(w: World) -> dict:
    job = json.dumps({"cfg": w.list_orders_cfg(), "start": START, "url": w.url})
    done = subprocess.run([sys.executable, "-m", "bench.backfill"], input=job, stdout=subprocess.PIPE, text=True,
                          cwd=ROOT, timeout=CHILD_TIMEOUT, check=False)  # its stderr is ours: live progress
    if done.returncode != 0:
        raise RuntimeError(f"the backfill process exited with {done.returncode}; its stderr is above")
    return json.loads(done.stdout.strip().splitlines()[-1])
