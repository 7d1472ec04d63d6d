"""The listOrders cursor as plain JSON changed by pure functions (no I/O, no clock).

Amazon's ListOrders answers ``LastUpdatedAfter <= LastUpdateDate <= LastUpdatedBefore`` (both
inclusive) and echoes the ``LastUpdatedBefore`` it used (its now - 2 minutes). The trigger walks
*windows* ``[cursor, end]``; ``end`` is that echo for the live window, or an explicit bound while
backfilling. A window is finished only when all its pages were emitted; then the cursor moves to
``end`` and the orders emitted exactly at ``end`` are remembered (``atCursor``) so the next window,
which includes ``end`` again, does not repeat them. While a window is in progress, the orders already
emitted from it are remembered (``window.done``), so a run killed between pages resumes by walking
the same window again, skipping them: no gap, no repeat.

Orders are remembered as 8-character digests of ``(id, lastUpdateDate)`` packed into one string: an
order that changes gets a new digest and is emitted again with its new state. Each page also records
Amazon's NextToken for the next page, so a resumed run normally just continues the listing; the
digests are the fallback when that token has expired and the window must be walked again.

Sizes: the snapshot must fit the platform's 5 KB, so at most ``DONE_BUDGET`` digests are kept per
window (past that, only the token can resume it exactly; if it too has expired, the orders beyond the
budget are emitted again: repeated, never lost). Windows aim at ``TARGET_PER_WINDOW`` orders because
each window ends on a partly filled page: fewer, fuller windows spend less of the ListOrders quota.
The aim is about 100 pages, so a backfill wastes under 1% of its requests on part-filled pages; after
a window far below it the next grows up to ``MAX_GROWTH`` times, so a quiet first hour does not cost
a string of small windows. A bigger window does not make the snapshot bigger (the digests are capped),
it only widens the rare case above: a run that stops inside it *and* finds its token expired.

Which date the windows are on is recorded as ``dateKind`` (``lastUpdated``, the default, or
``created``; a snapshot without it is ``lastUpdated``). For ``created`` the remembered version of an
order is its creation date, so an order is emitted once however often it changes.

An end time (``reached``) is not part of the state: windows simply stop there, and a later end time
continues from the same cursor.

Loading (``ensure``): an empty snapshot, or one saved by another version, for another Start time or
for another ``dateKind``, starts over from the start. Any other snapshot must have this shape exactly (``problem`` checks types
and bounds: times from 2006 to 2099, digests, 300 s <= windowSeconds <= 30 days); a corrupt one is a
``ConfigurationError`` on field ``snapshot`` raised before any request, saying how to go on (set Start
time to the saved cursor, or reset the snapshot), because any guess could lose orders or repeat many.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from mws_component.lib.fields import EARLIEST, got, kind_of
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.server_time import parse_iso

VERSION = 3
MIN_WINDOW = 300.0  # seconds
MAX_WINDOW = 30 * 86400.0
TARGET_PER_WINDOW = 9_950  # orders: 99 full pages and a last one aimed half full (see resize)
TAIL_SHARE = 0.5  # of a window: a shorter remainder joins the window before it (``next_end``)
MAX_GROWTH = 16.0  # the next window is at most this many times longer (and at least a quarter as long)
DIGEST_CHARS = 8
DONE_BUDGET = 450  # digests kept per window: 3.6 KB, leaving room for a ~500-character NextToken
SNAPSHOT_CHARS = 5120  # the platform keeps at most 5 KB per snapshot: no text in it can be longer
DATE_KINDS = ("lastUpdated", "created")
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)  # a cursor beyond this would wait forever: corrupt
DIGESTS = re.compile(rf"(?:[A-Za-z0-9_-]{{{DIGEST_CHARS}}})*", re.ASCII)


def version(last_update: str | None) -> str:
    """An order's ``LastUpdateDate`` in one spelling (Amazon writes the same instant several ways);
    an unreadable one is kept as written rather than failing the poll."""
    try:
        return parse_iso(last_update or "").isoformat()
    except ValueError:
        return (last_update or "").strip()


def digest(order_id: str, last_update: str) -> str:
    """48 bits of SHA-256 over an order's id and version (collision odds ~1e-9 within a window)."""
    key = f"{order_id}|{version(last_update)}"
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()[:6]).decode("ascii")


@lru_cache(maxsize=16)
def _keys(packed: str) -> frozenset[str]:
    return frozenset(packed[i:i + DIGEST_CHARS] for i in range(0, len(packed), DIGEST_CHARS))


INITIAL_WINDOW = 3600.0  # small first: a busy seller's first window must not overflow the snapshot


def initial(start_key: str, start: str, window_seconds: float = INITIAL_WINDOW, *,
            kind: str = "lastUpdated") -> dict[str, Any]:
    return {"v": VERSION, "start": start_key, "cursor": start, "atCursor": "", "windowSeconds": window_seconds,
            "dateKind": kind}


def ensure(snapshot: Any, start_key: str, start: str | Callable[[], str], kind: str = "lastUpdated") -> dict[str, Any]:
    """The snapshot to continue from; a new or changed ``startTime`` or ``dateKind`` setting starts over
    from ``start`` (a callable is asked only then: finding the first cursor may need Amazon's clock).

    ``start_key`` is the setting as configured (``""`` for the default look-back), so a default
    start computed from "now" does not reset the cursor on every poll. A snapshot saved by another
    version of this trigger or for another setting also starts over. A corrupt one (``problem``) is
    an error naming what is wrong and how to go on: guessing could lose orders or repeat many, and
    failing before any request does neither.
    """
    if not snapshot or (isinstance(snapshot, dict) and _other_setting(snapshot, start_key, kind)):
        return initial(start_key, start() if callable(start) else start, kind=kind)
    trouble = problem(snapshot)
    if trouble:
        raise corrupt(snapshot, trouble)
    return snapshot


def _other_setting(snapshot: dict[str, Any], start_key: str, kind: str) -> bool:
    v, start, saved_kind = snapshot.get("v"), snapshot.get("start"), snapshot.get("dateKind")
    saved_kind = "lastUpdated" if saved_kind is None else saved_kind  # saved before dateKind existed
    return ((_count(v) and v != VERSION) or (isinstance(start, str) and start != start_key)
            or (isinstance(saved_kind, str) and saved_kind != kind))


def reached(state: dict[str, Any], until: datetime | None) -> bool:
    """Whether every window up to ``until`` (an end time) was walked: no window open, cursor at or past it."""
    return until is not None and not state.get("window") and as_datetime(state["cursor"]) >= until


def problem(snapshot: Any) -> str | None:
    """What makes a snapshot unusable, or None when its shape, types and bounds are sound."""
    if not isinstance(snapshot, dict):
        return f"it is {kind_of(snapshot)}, not the object this trigger saves"
    window = snapshot.get("window")
    checks = [(key, snapshot.get(key), ok, wanted) for key, ok, wanted in _TOP]
    if window is not None and not isinstance(window, dict):
        return f"'window' must be an object or absent, got {got(window)}"
    checks += [(f"window.{key}", (window or {}).get(key), ok, wanted) for key, ok, wanted in _WINDOW if window]
    for key, value, ok, wanted in checks:
        if not ok(value):
            return f"'{key}' must be {wanted}, got {got(value)}"
    return None


def corrupt(snapshot: Any, trouble: str) -> ConfigurationError:
    """The error for a corrupt snapshot: what is wrong, and the two ways to go on."""
    readable = isinstance(snapshot, dict) and isinstance(snapshot.get("start"), str)  # a new setting restarts it
    cursor = snapshot.get("cursor") if readable else None
    resume = (f"To continue from the last saved position, set Start time to {cursor} (orders already emitted "
              "after it may be emitted again); or reset" if _moment(cursor) else "Reset")
    return ConfigurationError(
        f"the listOrders 'snapshot' (its saved position) is corrupt: {trouble}. Nothing was requested or "
        f"emitted, so no order was lost or repeated. {resume} the step's snapshot (in the flow, or with the "
        "platform API /flows/{id}/snapshots) to start over from Start time; orders changed since then are "
        "emitted again.", field="snapshot")


def _moment(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        return EARLIEST <= parse_iso(value).astimezone(timezone.utc) < LATEST
    except (ValueError, OverflowError):
        return False


def _digests(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= SNAPSHOT_CHARS and DIGESTS.fullmatch(value) is not None


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _seconds(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and MIN_WINDOW <= value <= MAX_WINDOW


def _token(value: Any) -> bool:
    return value is None or (isinstance(value, str) and 0 < len(value) <= SNAPSHOT_CHARS)


MOMENT = "an ISO 8601 time with a zone, from 2006 to 2099"
DIGEST_TEXT = f"text of {DIGEST_CHARS}-character order digests"
_TOP = (("v", lambda v: v == VERSION and _count(v), f"{VERSION}"), ("start", lambda v: isinstance(v, str), "text"),
        ("dateKind", lambda v: v is None or v in DATE_KINDS, f"absent or one of {', '.join(DATE_KINDS)}"),
        ("cursor", _moment, MOMENT), ("atCursor", _digests, DIGEST_TEXT),
        ("windowSeconds", _seconds, f"a number of seconds from {MIN_WINDOW:.0f} to {MAX_WINDOW:.0f}"))
_WINDOW = (("end", _moment, MOMENT), ("done", _digests, DIGEST_TEXT), ("atEnd", _digests, DIGEST_TEXT),
           ("count", _count, "a whole number, 0 or more"), ("token", _token, "null or a NextToken"),
           ("complete", lambda v: isinstance(v, bool), "true or false"),
           ("overflow", lambda v: isinstance(v, bool), "true or false"))


def open_window(state: dict[str, Any], end: str) -> dict[str, Any]:
    """Record the bound of the window being walked (the echo, or the explicit backfill bound)."""
    if (state.get("window") or {}).get("end") == end:
        return state
    return {**state, "window": {"end": end, "done": "", "atEnd": "", "count": 0, "token": None,
                                "complete": False, "overflow": False}}


def seen(state: dict[str, Any], order_id: str, last_update: str) -> bool:
    """Whether this version of this order was already emitted (at the cursor, or in this window)."""
    key = digest(order_id, last_update)
    return key in _keys((state.get("window") or {}).get("done", "")) or key in _keys(state.get("atCursor", ""))


def page_emitted(state: dict[str, Any], orders: list[tuple[str, str]], next_token: str | None) -> dict[str, Any]:
    """After a page's new orders ``(id, lastUpdateDate)`` were emitted (or deliberately filtered out).

    ``next_token`` is the page's NextToken (None on the last page, which completes the window).
    """
    window = state["window"]
    keys = [(digest(i, d), _same(d, window["end"])) for i, d in orders]
    room = max(0, DONE_BUDGET - len(window["done"]) // DIGEST_CHARS)
    return {**state, "window": {
        **window,
        "done": window["done"] + "".join(k for k, _ in keys[:room]),
        "overflow": window["overflow"] or len(keys) > room,
        "atEnd": window["atEnd"] + "".join(k for k, at_end in keys if at_end),
        "count": window["count"] + len(keys),
        "token": next_token,
        "complete": next_token is None,
    }}


def forget_token(state: dict[str, Any]) -> dict[str, Any]:
    """Amazon no longer accepts the saved NextToken: the window will be walked again from its start."""
    return {**state, "window": {**state["window"], "token": None, "complete": False}}


def next_end(state: dict[str, Any], limit: datetime | None = None) -> datetime:
    """Where the next window ends: the bound saved with an open window, else ``windowSeconds`` past the
    cursor, at most ``limit``. Both APIs' walks take it from here.

    A remainder up to ``limit`` shorter than ``TAIL_SHARE`` of a window is taken into this one: left
    alone it would be a window of its own, with its own part-filled page, for a few orders.
    """
    window = state.get("window")
    if window:
        return as_datetime(window["end"])
    seconds = state["windowSeconds"]
    end = as_datetime(state["cursor"]) + timedelta(seconds=seconds)
    if limit is not None and end + timedelta(seconds=seconds * TAIL_SHARE) >= limit:
        return limit
    return end


def close_window(state: dict[str, Any]) -> dict[str, Any]:
    """All pages of the window were emitted: move the cursor to its end and resize the next window."""
    window = state["window"]
    carried = state["atCursor"] if _same(window["end"], state["cursor"]) else ""
    rest = {k: v for k, v in state.items() if k != "window"}
    return {**rest, "cursor": window["end"], "atCursor": carried + window["atEnd"],
            "windowSeconds": resize(state.get("windowSeconds", INITIAL_WINDOW), window["count"])}


def resize(seconds: float, count: int) -> float:
    """Aim the next window at ``TARGET_PER_WINDOW`` orders: growing at most ``MAX_GROWTH`` times, shrinking
    at most 4 times at a time (a burst of orders shrinks windows quickly enough; a lull must not make
    the next window a month long on one quiet hour's evidence). After an empty window it grows
    ``MAX_GROWTH`` squared: a stretch without any order (a backfill from before the first sale) is
    crossed in one or two requests, and the first window that holds orders sizes the next. The aim is half a page under a whole
    number of pages: where orders come steadily the estimate is close, and aiming at exactly 100 pages
    would as often land a few orders over, paying a whole request for them."""
    if count == 0:  # no orders at all: no density to go by, only quiet time to cross (e.g. before a first sale)
        return min(MAX_WINDOW, max(MIN_WINDOW, seconds * MAX_GROWTH * MAX_GROWTH))
    factor = min(MAX_GROWTH, max(0.25, TARGET_PER_WINDOW / count))
    return min(MAX_WINDOW, max(MIN_WINDOW, seconds * factor))


def _same(a: str, b: str) -> bool:
    return version(a) == version(b)


def as_datetime(value: str) -> datetime:
    return parse_iso(value)
