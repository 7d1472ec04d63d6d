"""The listOrders cursor as plain JSON changed by pure functions (no I/O, no clock).

Amazon's ListOrders answers ``LastUpdatedAfter <= LastUpdateDate <= LastUpdatedBefore`` (both
inclusive) and echoes the ``LastUpdatedBefore`` it used (its now - 2 minutes). The trigger walks
*windows* ``[cursor, end]``; ``end`` is that echo for the live window, or an explicit bound while
backfilling. A window is finished only when all its pages were emitted; then the cursor moves to
``end`` and the orders emitted exactly at ``end`` are remembered (``atCursor``) so the next window,
which includes ``end`` again, does not repeat them. While a window is in progress, the orders already
emitted from it are remembered (``window.done``), so a run killed between pages resumes by walking
the same window again, skipping them: no gap, no repeat.

Orders are remembered as short digests of ``(id, lastUpdateDate)``: an order that changes gets a new
digest and is emitted again with its new state, and the snapshot stays within the platform's 5 KB for
a window of a few hundred orders.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from lib.mws.server_time import parse_iso

VERSION = 1
MIN_WINDOW = 300.0  # seconds
MAX_WINDOW = 30 * 86400.0
TARGET_PER_WINDOW = 200  # orders: about two full pages, and a window.done list well under 5 KB


def digest(order_id: str, last_update: str) -> str:
    """A 48-bit digest of an order's identity and version (collisions ~1e-9 per few thousand orders)."""
    key = f"{order_id}|{parse_iso(last_update).isoformat()}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def initial(start_key: str, start: str, window_seconds: float = 86400.0) -> dict[str, Any]:
    return {"v": VERSION, "start": start_key, "cursor": start, "atCursor": [], "windowSeconds": window_seconds}


def ensure(snapshot: dict[str, Any] | None, start_key: str, start: str) -> dict[str, Any]:
    """The snapshot to continue from; a new or changed ``startTime`` setting starts over from ``start``.

    ``start_key`` is the setting as configured (``""`` for the default look-back), so a default
    start computed from "now" does not reset the cursor on every poll.
    """
    if not snapshot or snapshot.get("v") != VERSION or snapshot.get("start") != start_key:
        return initial(start_key, start)
    return snapshot


def open_window(state: dict[str, Any], end: str) -> dict[str, Any]:
    """Record the bound of the window being walked (the echo, or the explicit backfill bound)."""
    if (state.get("window") or {}).get("end") == end:
        return state
    return {**state, "window": {"end": end, "done": [], "atEnd": []}}


def seen(state: dict[str, Any], order_id: str, last_update: str) -> bool:
    """Whether this version of this order was already emitted (at the cursor, or in this window)."""
    key = digest(order_id, last_update)
    return key in (state.get("window") or {}).get("done", ()) or key in state.get("atCursor", ())


def page_emitted(state: dict[str, Any], orders: list[tuple[str, str]]) -> dict[str, Any]:
    """After a page's orders ``(id, lastUpdateDate)`` were emitted (or deliberately filtered out)."""
    window = state["window"]
    keys = [(digest(i, d), _same(d, window["end"])) for i, d in orders]
    return {**state, "window": {
        **window,
        "done": window["done"] + [k for k, _ in keys],
        "atEnd": window["atEnd"] + [k for k, at_end in keys if at_end],
    }}


def close_window(state: dict[str, Any], count: int) -> dict[str, Any]:
    """All pages of the window were emitted: move the cursor to its end and resize the next window."""
    window = state["window"]
    carried = list(state["atCursor"]) if _same(window["end"], state["cursor"]) else []
    rest = {k: v for k, v in state.items() if k != "window"}
    return {**rest, "cursor": window["end"], "atCursor": carried + window["atEnd"],
            "windowSeconds": resize(state.get("windowSeconds", 86400.0), count)}


def resize(seconds: float, count: int) -> float:
    """Aim the next window at ``TARGET_PER_WINDOW`` orders, changing by at most 4x at a time."""
    factor = min(4.0, max(0.25, TARGET_PER_WINDOW / max(count, 1)))
    return min(MAX_WINDOW, max(MIN_WINDOW, seconds * factor))


def _same(a: str, b: str) -> bool:
    return parse_iso(a) == parse_iso(b)


def as_datetime(value: str) -> datetime:
    return parse_iso(value)
