"""Walking ListOrders window by window, page by page, yielding what to emit and the state after it.

The caller emits a page's orders, *then* persists the state yielded with them; that order is what
makes a crash between pages lose nothing (see ``state``). Pacing, retries and clock skew are the
client's job; a NextToken that expires mid-window restarts the window, skipping what was emitted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import NextTokenExpiredError
from mws_component.lib.mws.operations import format_timestamp
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

    def params(self, after: str, before: str | None) -> dict:
        return {
            "LastUpdatedAfter": after,
            "LastUpdatedBefore": before,
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


def _explicit_end(client: MwsClient, state: dict) -> str | None:
    """A backfill bound when the cursor is far enough behind; None for the live window."""
    window = state.get("window")
    if window:
        return window["end"]
    end = st.as_datetime(state["cursor"]) + timedelta(seconds=state["windowSeconds"])
    if end < client.server_now() - AMAZON_LAG - EXPLICIT_MARGIN:
        return format_timestamp(end)
    return None


def poll(client: MwsClient, query: OrderQuery, state: dict) -> Iterator[Page]:
    """Every window from the cursor up to Amazon's now, as pages to emit."""
    while True:
        known = client.sync_clock(CLOCK_PROBE)  # decide on Amazon's clock, never on the machine's alone
        if known and st.as_datetime(state["cursor"]) > client.server_now() - AMAZON_LAG:
            return  # nothing Amazon would answer for yet
        end = _explicit_end(client, state)
        for restart in range(MAX_WINDOW_RESTARTS + 1):
            try:
                for page in _window(client, query, state, end):
                    state = page.state
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
            state = st.open_window(state, end or _echo_end(result, asked, state["cursor"]))
            end = state["window"]["end"]
        bound = parse_iso(end)
        listed = {(text(o["AmazonOrderId"]), st.version(text(o["LastUpdateDate"]))): o  # one per version,
                  for o in as_list((result.get("Orders") or {}).get("Order"))}  # even if a page repeats it
        fresh = [o for (order_id, version), o in listed.items()
                 if not st.seen(state, order_id, version) and not _after(o, bound)]
        pairs = [(text(o["AmazonOrderId"]), st.version(text(o["LastUpdateDate"]))) for o in fresh]
        state = st.page_emitted(state, pairs, text(result.get("NextToken")))
        wanted = [order_json(o) for o in fresh if not query.keep or text(o["OrderStatus"]) in query.keep]
        yield Page(wanted, state, end)
    count = state["window"]["count"]
    yield Page([], st.close_window(state), end, window_closed=True, window_count=count)


def _echo_end(result: dict, asked: datetime, cursor: str) -> str:
    """The live window's end: Amazon's ``LastUpdatedBefore`` echo, read tolerantly.

    An echo that cannot be read must not crash the poll, nor be replaced by a guess later than
    Amazon's own bound (orders between the two would be skipped for ever). The request's own bound
    is used instead: Amazon's time before the request was sent, less its two minutes and a margin.
    Orders listed beyond it are left for the next window (see ``_after``).
    """
    raw = text(result.get("LastUpdatedBefore"))
    try:
        return format_timestamp(parse_iso(raw or ""))
    except ValueError:
        fallback = max(asked - AMAZON_LAG - ECHO_MARGIN, st.as_datetime(cursor))
        end = format_timestamp(fallback)
        log.warning("Amazon's LastUpdatedBefore echo %r is unreadable; this window ends at %s, the request's "
                    "own bound, and later changes come in the next window", raw, end)
        return end


def _after(order: dict, bound: datetime) -> bool:
    """Whether an order was updated after the window's end (only possible when the echo was unreadable)."""
    try:
        return parse_iso(text(order.get("LastUpdateDate")) or "") > bound
    except ValueError:
        return False
