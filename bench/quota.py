"""Efficiency against Amazon's quota: the share of the most requests a throttle group allows.

Amazon lets ``burst`` requests through at once and restores one every ``restore_seconds``, so in a
window of ``elapsed`` seconds at most ``burst + floor(elapsed / restore_seconds)`` requests can
succeed (requests are whole; a client sending at exactly that rate scores 1.0). The window runs
from the group's first request to its last, as the sandbox saw them: sleeping before the first
call, or idling after the last, is not counted against anyone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from mws_component.lib.mws.operations import Quota, operations, quotas

from .timeline import Event

ORDERS_PER_PAGE = 100  # ListOrders' MaxResultsPerPage at most: what one request can deliver


def ceiling(quota: Quota, elapsed: float) -> int:
    """The most requests of ``quota``'s group that can succeed within ``elapsed`` seconds."""
    if elapsed < 0:
        raise ValueError(f"elapsed must be 0 or more seconds, got {elapsed}")
    return quota.burst + math.floor(elapsed / quota.restore_seconds + 1e-9)


def group_of(action: str | None) -> str | None:
    """The throttle group an MWS action spends (``ListOrdersByNextToken`` -> ``ListOrders``)."""
    op = operations().get(action or "")
    return op.quota.group if op else None


def group_counts(stats: dict, group: str) -> dict[str, int]:
    """Requests, throttled answers and other errors of one group, from the sandbox's ``stats()``."""
    counts = {"requests": 0, "throttled": 0, "errors": 0}
    for name, per_op in stats.get("operations", {}).items():
        if group_of(name) == group:
            for key in counts:
                counts[key] += per_op[key]
    return counts


def usage(events: Iterable[Event], stats: dict, group: str) -> dict:
    """Pages (successful requests), throttled ratio and efficiency of one throttle group in one run."""
    quota = quotas()[group]
    times = [e.t for e in events if group_of(e.action) == group]
    counts = group_counts(stats, group)
    pages = counts["requests"] - counts["throttled"] - counts["errors"]
    elapsed = max(times) - min(times) if times else 0.0
    allowed = ceiling(quota, elapsed)
    return {
        "pages": pages, **counts,
        "throttled_ratio": round(counts["throttled"] / counts["requests"], 4) if counts["requests"] else 0.0,
        "efficiency": round(pages / allowed, 4),
        "quota_allows": allowed,
        "quota": {"burst": quota.burst, "restore_seconds": quota.restore_seconds},
        "elapsed_seconds": round(elapsed, 1),
    }


def delivery(events: Iterable[Event], group: str, delivered: int, per_page: int) -> dict:
    """Orders delivered against the most the quota could deliver: ``per_page`` orders on every request
    the ceiling allows, from the group's first request to the last one that listed an order.

    Counting requests flatters a client whose pages are part-filled (each costs a whole request);
    counting orders does not. The window ends at the last order-bearing answer: once caught up, there
    is nothing left to deliver, and the polls that find nothing new are not the backfill's.
    """
    mine = [e for e in events if group_of(e.action) == group]
    bearing = [e.t for e in mine if e.listed]
    if not mine or not bearing:
        return {"orders_efficiency": 0.0, "orders_ceiling": 0, "full_pages_needed": 0}
    allowed = ceiling(quotas()[group], max(bearing) - min(e.t for e in mine))
    return {"orders_efficiency": round(delivered / (per_page * allowed), 4), "orders_ceiling": per_page * allowed,
            "full_pages_needed": math.ceil(delivered / per_page),
            "requests_to_last_order": sum(1 for e in mine if e.t <= max(bearing))}


def per_hour(count: int, seconds: float) -> int | None:
    """``count`` per simulated hour (orders per hour: what the seller feels, whatever the pages)."""
    return round(count * 3600 / seconds) if seconds > 0 else None
