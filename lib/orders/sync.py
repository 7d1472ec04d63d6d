"""Walking ListOrders window by window, page by page, yielding what to emit and the state after it.

The caller emits a page's orders, *then* persists the state yielded with them; that order is what
makes a crash between pages lose nothing (see ``state``). Pacing, retries and clock skew are the
client's job; a NextToken that expires mid-window restarts the window, skipping what was emitted.

Progress: ``poll`` tells its ``PollObserver`` (optional, passed in) where it is after each window
opens and after each page: window N of about M, orders so far. ``PollReport`` is the observer for
people: it says each window and each of the client's waits with that position, through a
``report(msg, level=..., **state)`` callable such as an eiosdk logger's ``progress``.

The query chooses the date the windows are on (``by``: ``LastUpdated``, every change, or ``Created``,
each order once; Amazon takes ``CreatedAfter`` or ``LastUpdatedAfter``, never both) and may set an
end (``until``): windows stop there, bounded explicitly or by cutting Amazon's echo, and once the
cursor reaches it ``poll`` yields nothing and sends nothing.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import NextTokenExpiredError
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.pacing import Wait
from mws_component.lib.mws.parsing import as_list, text
from mws_component.lib.mws.server_time import parse_iso

from . import state as st
from .convert import order_json

AMAZON_LAG = timedelta(minutes=2)  # Amazon does not answer for the last two minutes
EXPLICIT_MARGIN = timedelta(minutes=10)  # explicit bounds stay this far behind, whatever the clock skew
ECHO_MARGIN = timedelta(minutes=1)  # an unreadable echo: end this far before the request's own bound
MAX_WINDOW_RESTARTS = 3
CLOCK_PROBE = "GetServiceStatus"  # the Orders section's cheapest call, to learn Amazon's clock

log = logging.getLogger("mws_component.orders")


@dataclass(frozen=True)
class OrderQuery:
    marketplace_ids: list[str]
    statuses: list[str] = field(default_factory=list)  # sent to Amazon; empty = all
    keep: frozenset[str] = frozenset()  # statuses the user asked for; empty = all
    fulfillment_channel: str | None = None
    max_per_page: int = 100
    by: str = "LastUpdated"  # or "Created": the date windows are on
    until: datetime | None = None  # endTime: no window goes past it

    @property
    def date_field(self) -> str:
        """The order element the windows are on (and whose value is the version remembered)."""
        return "PurchaseDate" if self.by == "Created" else "LastUpdateDate"

    def params(self, after: str, before: str | None) -> dict:
        return {
            f"{self.by}After": after,
            f"{self.by}Before": before,
            "MarketplaceId": self.marketplace_ids,
            "OrderStatus": self.statuses or None,
            "FulfillmentChannel": [self.fulfillment_channel] if self.fulfillment_channel else None,
            "MaxResultsPerPage": self.max_per_page,
        }


@dataclass
class Page:
    orders: list[dict]  # lowerCamelCase JSON, one per order to emit
    state: dict  # persist after emitting ``orders``
    window_end: str
    window_closed: bool = False
    window_count: int = 0


@dataclass(frozen=True)
class PollProgress:
    """Where a poll is: in window ``window`` of about ``windows``, ``orders`` handed on so far."""

    window: int  # from 1
    windows: int  # an estimate, this window included; it changes as windows resize
    orders: int = 0  # orders yielded to the caller in this poll
    window_end: str | None = None
    closed: bool = False  # the window is done
    window_count: int = 0  # closed: orders Amazon listed as changed in it

    def describe(self) -> str:
        """``window 3 of about 7; 412 orders so far``."""
        return f"window {self.window} of about {max(self.windows, self.window)}; {self.orders} orders so far"


class PollObserver(Protocol):
    def polled(self, progress: PollProgress) -> None: ...


MAX_ESTIMATE = 10_000  # windows; a corrupt or absurd span must not make the estimate loop for ever


def windows_left(span: float, window_seconds: float, per_second: float | None) -> int:
    """About how many windows cover ``span`` seconds, as ``state.resize`` grows or shrinks them.

    ``per_second`` is the order density seen so far (``None`` before any window closed: each window
    is then assumed nearly empty, so the estimate starts low and rises as busy windows shrink).
    """
    count, seconds = 0, window_seconds
    while span > 0 and count < MAX_ESTIMATE:
        count += 1
        span -= seconds
        seconds = st.resize(seconds, math.ceil((per_second or 0.0) * seconds))
    return max(count, 1)


class Tally:
    """Counts windows and orders of one poll and tells the observer."""

    def __init__(self, observer: PollObserver | None, until: datetime | None = None) -> None:
        self.observer = observer
        self.until = until
        self.window = self.orders = self.listed = 0
        self.covered = 0.0
        self.windows = 1
        self.opened_at: datetime | None = None

    def open(self, client: MwsClient, state: dict) -> None:
        self.window += 1
        cursor = st.as_datetime(state["cursor"])
        self.opened_at = cursor
        horizon = client.server_now() - AMAZON_LAG
        span = (min(horizon, self.until or horizon) - cursor).total_seconds()
        density = self.listed / self.covered if self.covered > 0 else None
        self.windows = self.window - 1 + windows_left(span, state["windowSeconds"], density)
        self._tell(None)

    def page(self, page: Page) -> None:
        self.orders += len(page.orders)
        if page.window_closed and self.opened_at is not None:
            self.covered += max((parse_iso(page.window_end) - self.opened_at).total_seconds(), 0.0)
            self.listed += page.window_count
        self._tell(page)

    def _tell(self, page: Page | None) -> None:
        if self.observer is not None:
            closed = page is not None and page.window_closed
            self.observer.polled(PollProgress(self.window, self.windows, self.orders,
                                              page.window_end if page else None, closed,
                                              page.window_count if closed else 0))


class PollReport:
    """A poll's observer for people: each window and each wait, said with where the poll is.

    Pass it to ``poll`` (as its observer) and to ``client.observed`` (for the waits). ``report`` is
    called as ``report(msg, level="info"|"debug", **state)`` with the state keys ``eiosdk.progress``
    reads (``done``, ``total``, ``unit``, ``note``, ``wait``, ``waitFor``, ``finished``) plus
    ``window``, ``windows`` and ``orders``.
    """

    MIN_WAIT_SAID = 1.0  # seconds; shorter waits are debug lines

    def __init__(self, report: Callable[..., None]) -> None:
        self.report = report
        self.last = PollProgress(0, 1)

    def polled(self, progress: PollProgress) -> None:
        self.last = progress
        if progress.closed:
            self.report(f"orders up to {progress.window_end}: {progress.window_count} changed; "
                        f"{progress.describe()}", level="info", **self._state())
        else:
            self.report(progress.describe(), level="debug", **self._state())

    def waiting(self, wait: Wait) -> None:
        level = "info" if wait.seconds >= self.MIN_WAIT_SAID else "debug"
        self.report(f"{wait.describe()}; {self.last.describe()}", level=level, wait=round(wait.seconds, 3),
                    waitFor=wait.subject, **self._state())

    def finished(self) -> None:
        """The poll reached Amazon's now."""
        last = self.last
        self.report(f"poll done: {last.window} window(s), {last.orders} orders", level="info",
                    **{**self._state(), "finished": True})

    def stopped(self, why: str) -> None:
        """The poll ends early (e.g. out of time or quota); the next poll goes on from the last saved page."""
        self.report(why, level="info", **self._state())

    def _state(self) -> dict[str, Any]:
        last = self.last
        return {"window": last.window, "windows": max(last.windows, last.window), "orders": last.orders,
                "done": last.window - (0 if last.closed else 1), "total": max(last.windows, last.window),
                "unit": "windows", "note": f"{last.orders} orders so far"}


def _explicit_end(client: MwsClient, state: dict, until: datetime | None) -> str | None:
    """A backfill bound (at most ``until``) when the cursor is far enough behind; None for the live window."""
    window = state.get("window")
    if window:
        return window["end"]
    horizon = client.server_now() - AMAZON_LAG - EXPLICIT_MARGIN
    end = st.next_end(state, min(until, horizon) if until is not None else horizon)
    if end < horizon:
        return format_timestamp(end)
    return None  # up to Amazon's now: the live window, ending at its echo


def poll(client: MwsClient, query: OrderQuery, state: dict,
         observer: PollObserver | None = None) -> Iterator[Page]:
    """Every window from the cursor up to Amazon's now (or ``query.until``), as pages to emit;
    ``observer`` hears of each."""
    tally = Tally(observer, query.until)
    while not st.reached(state, query.until):
        known = client.sync_clock(CLOCK_PROBE)  # decide on Amazon's clock, never on the machine's alone
        if known and st.as_datetime(state["cursor"]) > client.server_now() - AMAZON_LAG:
            return  # nothing Amazon would answer for yet
        end = _explicit_end(client, state, query.until)
        tally.open(client, state)
        for restart in range(MAX_WINDOW_RESTARTS + 1):
            try:
                for page in _window(client, query, state, end):
                    state = page.state
                    tally.page(page)
                    yield page
                break
            except NextTokenExpiredError:
                if restart == MAX_WINDOW_RESTARTS:
                    raise
                if state.get("window"):
                    state = st.forget_token(state)
                    end = state["window"]["end"]
        if end is None:
            return


def _window(client: MwsClient, query: OrderQuery, state: dict, end: str | None) -> Iterator[Page]:
    """The pages of one window; a window left unfinished by an earlier run continues where it stopped."""
    window = state.get("window") or {}
    asked = client.server_now()  # before the first request: at or before the moment Amazon answers for
    if window.get("complete"):
        pages = iter(())  # every page was emitted before the run stopped; only closing remains
    elif window.get("token"):
        pages = client.pages("ListOrdersByNextToken", {"NextToken": window["token"]})
    else:
        pages = client.pages("ListOrders", query.params(state["cursor"], end))
    for response in pages:
        result = response.result
        if not state.get("window"):  # a new window ends at the explicit bound, or at Amazon's echo
            state = st.open_window(state, end or _echo_end(result, asked, state["cursor"], query.until))
            end = state["window"]["end"]
        bound = parse_iso(end)
        dated = query.date_field
        listed = {(text(o["AmazonOrderId"]), st.version(text(o[dated]))): o  # one per version,
                  for o in as_list((result.get("Orders") or {}).get("Order"))}  # even if a page repeats it
        fresh = [o for (order_id, version), o in listed.items()
                 if not st.seen(state, order_id, version) and not _after(o.get(dated), bound)]
        pairs = [(text(o["AmazonOrderId"]), st.version(text(o[dated]))) for o in fresh]
        state = st.page_emitted(state, pairs, text(result.get("NextToken")))
        wanted = [order_json(o) for o in fresh if not query.keep or text(o["OrderStatus"]) in query.keep]
        yield Page(wanted, state, end)
    count = state["window"]["count"]
    yield Page([], st.close_window(state), end, window_closed=True, window_count=count)


def _echo_end(result: dict, asked: datetime, cursor: str, until: datetime | None = None) -> str:
    """The live window's end: Amazon's ``LastUpdatedBefore`` (or ``CreatedBefore``) echo, read tolerantly,
    and at most ``until``.

    An echo that cannot be read must not crash the poll, nor be replaced by a guess later than
    Amazon's own bound (orders between the two would be skipped for ever). The request's own bound
    is used instead: Amazon's time before the request was sent, less its two minutes and a margin.
    Orders listed beyond it are left for the next window (see ``_after``).
    """
    raw = text(result.get("LastUpdatedBefore") or result.get("CreatedBefore"))
    try:
        echo = parse_iso(raw or "")
        return format_timestamp(min(echo, until) if until is not None else echo)
    except ValueError:
        fallback = max(asked - AMAZON_LAG - ECHO_MARGIN, st.as_datetime(cursor))
        fallback = min(fallback, until) if until is not None else fallback
        end = format_timestamp(fallback)
        log.warning("Amazon's LastUpdatedBefore echo %r is unreadable; this window ends at %s, the request's "
                    "own bound, and later changes come in the next window", raw, end)
        return end


def _after(date: Any, bound: datetime) -> bool:
    """Whether an order's date is after the window's end (the echo was unreadable, or cut at the end time)."""
    try:
        return parse_iso(text(date) or "") > bound
    except ValueError:
        return False
