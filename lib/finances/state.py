"""The listFinancialEvents cursor as plain JSON changed by pure functions (no I/O, no clock).

Amazon's ListFinancialEvents answers ``PostedAfter <= PostedDate < PostedBefore`` (after inclusive,
before exclusive) for a ``PostedBefore`` at least two minutes before its now. The trigger walks
windows ``[cursor, end)`` whose ``end`` it chooses on Amazon's clock; a window is finished when all
its pages were emitted, and then the cursor moves to ``end``: the next window starts exactly where
this one stopped, so nothing is in two windows and nothing falls between them.

Within a window, the state after each page records Amazon's NextToken (a resumed run continues the
listing) and digests of the events already emitted (``done``): when the token has expired, the window
is walked again from its start, skipping them. Financial events have no id, so an event's digest is
taken over its whole content and how many identical events came before it in the walk (two identical
fees in one window are two events). At most ``DONE_BUDGET`` digests are kept (the platform keeps 5 KB
per snapshot); past that only the token resumes the window exactly, and if it too has expired, events
beyond the budget are emitted again: repeated, never lost. Windows aim at ``TARGET_PER_WINDOW`` events.

Loading (``ensure``): an empty snapshot, or one saved by another version or for another Start time,
starts over; a corrupt one is a ``ConfigurationError`` on field ``snapshot`` raised before any request.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from mws_component.lib.fields import EARLIEST, got, kind_of
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.server_time import parse_iso

VERSION = 1
MIN_WINDOW = 300.0  # seconds
MAX_WINDOW = 30 * 86400.0
INITIAL_WINDOW = 6 * 3600.0
TARGET_PER_WINDOW = 300  # events
DIGEST_CHARS = 8
DONE_BUDGET = 450  # 3.6 KB of digests, leaving room for a ~500-character NextToken
SNAPSHOT_CHARS = 5120
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)


def digest(content: str, occurrence: int) -> str:
    """48 bits of SHA-256 over an event's content and its occurrence number in the walk."""
    raw = hashlib.sha256(f"{occurrence}|{content}".encode()).digest()[:6]
    return base64.urlsafe_b64encode(raw).decode("ascii")


@lru_cache(maxsize=16)
def _keys(packed: str) -> frozenset[str]:
    return frozenset(packed[i:i + DIGEST_CHARS] for i in range(0, len(packed), DIGEST_CHARS))


def initial(start_key: str, start: str) -> dict[str, Any]:
    return {"v": VERSION, "start": start_key, "cursor": start, "windowSeconds": INITIAL_WINDOW}


def ensure(snapshot: Any, start_key: str, start: Callable[[], str]) -> dict[str, Any]:
    """The snapshot to continue from; none, another version's or another Start time's starts over at ``start()``."""
    if not snapshot or (isinstance(snapshot, dict) and _other_setting(snapshot, start_key)):
        return initial(start_key, start())
    trouble = problem(snapshot)
    if trouble:
        raise ConfigurationError(
            f"the listFinancialEvents 'snapshot' (its saved position) is corrupt: {trouble}. Nothing was requested "
            "or emitted. Set Start time to the last position you trust, or reset the step's snapshot (in the flow, "
            "or with the platform API /flows/{id}/snapshots) to start over from Start time.", field="snapshot")
    return snapshot


def _other_setting(snapshot: dict[str, Any], start_key: str) -> bool:
    v, start = snapshot.get("v"), snapshot.get("start")
    return (_count(v) and v != VERSION) or (isinstance(start, str) and start != start_key)


def problem(snapshot: Any) -> str | None:
    """What makes a snapshot unusable, or None when its shape, types and bounds are sound."""
    if not isinstance(snapshot, dict):
        return f"it is {kind_of(snapshot)}, not the object this trigger saves"
    window = snapshot.get("window")
    if window is not None and not isinstance(window, dict):
        return f"'window' must be an object or absent, got {got(window)}"
    checks = [(k, snapshot.get(k), ok, wanted) for k, ok, wanted in _TOP]
    checks += [(f"window.{k}", window.get(k), ok, wanted) for k, ok, wanted in _WINDOW] if window else []
    for key, value, ok, wanted in checks:
        if not ok(value):
            return f"'{key}' must be {wanted}, got {got(value)}"
    return None


def _moment(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        return EARLIEST <= parse_iso(value).astimezone(timezone.utc) < LATEST
    except (ValueError, OverflowError):
        return False


def _digests(value: Any) -> bool:
    return (isinstance(value, str) and len(value) <= SNAPSHOT_CHARS and len(value) % DIGEST_CHARS == 0
            and all(c.isascii() and (c.isalnum() or c in "-_") for c in value))


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _seconds(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and MIN_WINDOW <= value <= MAX_WINDOW


MOMENT = "an ISO 8601 time with a zone, from 2006 to 2099"
_TOP = (("v", lambda v: v == VERSION, f"{VERSION}"), ("start", lambda v: isinstance(v, str), "text"),
        ("cursor", _moment, MOMENT),
        ("windowSeconds", _seconds, f"a number of seconds from {MIN_WINDOW:.0f} to {MAX_WINDOW:.0f}"))
_WINDOW = (("end", _moment, MOMENT), ("done", _digests, f"text of {DIGEST_CHARS}-character digests"),
           ("count", _count, "a whole number, 0 or more"),
           ("token", lambda v: v is None or (isinstance(v, str) and 0 < len(v) <= SNAPSHOT_CHARS),
            "null or a NextToken"),
           ("complete", lambda v: isinstance(v, bool), "true or false"),
           ("overflow", lambda v: isinstance(v, bool), "true or false"))


def open_window(state: dict[str, Any], end: str) -> dict[str, Any]:
    """The window ``[cursor, end)`` being walked (kept as it is when it is already open)."""
    if state.get("window"):
        return state
    return {**state, "window": {"end": end, "done": "", "count": 0, "token": None, "complete": False,
                                "overflow": False}}


def seen(state: dict[str, Any], key: str) -> bool:
    return key in _keys((state.get("window") or {}).get("done", ""))


def page_emitted(state: dict[str, Any], keys: list[str], next_token: str | None) -> dict[str, Any]:
    """After a page's new events (their digests ``keys``) were emitted; ``next_token`` None ends the window."""
    window = state["window"]
    room = max(0, DONE_BUDGET - len(window["done"]) // DIGEST_CHARS)
    return {**state, "window": {**window, "done": window["done"] + "".join(keys[:room]),
                                "overflow": window["overflow"] or len(keys) > room,
                                "count": window["count"] + len(keys), "token": next_token,
                                "complete": next_token is None}}


def forget_token(state: dict[str, Any]) -> dict[str, Any]:
    """Amazon no longer accepts the saved NextToken: the window is walked again from its start."""
    return {**state, "window": {**state["window"], "token": None, "complete": False}}


def close_window(state: dict[str, Any]) -> dict[str, Any]:
    """Every page of the window was emitted: the cursor moves to its end; the next window is resized."""
    window = state["window"]
    rest = {k: v for k, v in state.items() if k != "window"}
    return {**rest, "cursor": window["end"], "windowSeconds": resize(state["windowSeconds"], window["count"])}


def resize(seconds: float, count: int) -> float:
    """Aim the next window at ``TARGET_PER_WINDOW`` events, changing by at most 4x at a time."""
    factor = min(4.0, max(0.25, TARGET_PER_WINDOW / max(count, 1)))
    return min(MAX_WINDOW, max(MIN_WINDOW, seconds * factor))


def as_datetime(value: str) -> datetime:
    return parse_iso(value)
