"""Walking ListFinancialEvents window by window, page by page, yielding what to emit and the state after it.

The caller emits a page's messages, *then* persists the state yielded with them (see ``state``).
The pages come from a ``Listing``: MWS ListFinancialEvents here (``MwsListing``), SP-API Finances v0
in ``lib.spapi.finances``. Windows are ``[cursor, end)`` with an explicit ``PostedBefore``: Amazon
answers only up to two minutes before its now, so the live window ends ``AMAZON_LAG + LIVE_MARGIN``
(and the trigger's settle time) before Amazon's now as learnt from its answers (the signpost, fixed
once per poll, so a poll ends even while pacing waits pass). Pacing, throttling, retries and clock
skew are the client's job; a NextToken Amazon no longer accepts restarts the window, skipping what
was emitted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import NextTokenExpiredError
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.parsing import text

from . import events as ev
from . import state as st

AMAZON_LAG = timedelta(minutes=2)  # PostedBefore must be at least this far before Amazon's now
LIVE_MARGIN = timedelta(minutes=1)  # the clock learnt from headers has whole seconds; requests take time
MAX_WINDOW_RESTARTS = 3


class Clocked(Protocol):  # MwsClient and SpApiClient
    def sync_clock(self) -> bool: ...
    def server_now(self) -> datetime: ...


@dataclass
class Page:
    messages: list[dict]  # emit these, then persist ``state``
    state: dict
    window_end: str
    window_closed: bool = False
    events: int = 0  # events on this page that were new


@dataclass
class Tally:
    """What one poll did, for the flow's log."""

    windows: int = 0
    messages: int = 0
    events: int = 0
    last_end: str | None = None


def signpost(client: Clocked, settle: timedelta = timedelta(0)) -> datetime:
    """The latest ``PostedBefore`` this poll uses: Amazon's now less its lag, a margin and ``settle`` (time
    left for events Amazon posts late: it warns that the last 48 hours may be incomplete), whole seconds."""
    client.sync_clock()  # decide on Amazon's clock, never on the machine's alone
    return (client.server_now() - AMAZON_LAG - LIVE_MARGIN - settle).replace(microsecond=0)


def poll(client: Clocked, state: dict, per_page: int = 100, tally: Tally | None = None,
         settle: timedelta = timedelta(0), listing: Listing | None = None) -> Iterator[Page]:
    """Every window from the cursor up to the signpost, as pages to emit; ``listing`` (default: MWS's over
    ``client``) reads the pages, ``client`` tells Amazon's time."""
    tally, listing = tally or Tally(), listing or MwsListing(client)
    limit = signpost(client, settle)
    while state.get("window") or st.as_datetime(state["cursor"]) < limit:
        end = _end(state, limit)
        tally.windows += 1
        for restart in range(MAX_WINDOW_RESTARTS + 1):
            try:
                for page in _window(listing, state, end, per_page):
                    state = page.state
                    tally.messages += len(page.messages)
                    tally.events += page.events
                    tally.last_end = page.window_end
                    yield page
                break
            except NextTokenExpiredError:
                if restart == MAX_WINDOW_RESTARTS:
                    raise
                state = st.forget_token(state)


def _end(state: dict, limit: datetime) -> str:
    window = state.get("window")
    if window:
        return window["end"]
    end = st.as_datetime(state["cursor"]) + timedelta(seconds=state["windowSeconds"])
    return format_timestamp(min(end, limit))


class Listing(Protocol):
    """One API's listing of financial events (``MwsListing`` here; ``lib.spapi.finances`` for SP-API)."""

    def pages(self, after: str, before: str, per_page: int, token: str | None) -> Iterator[tuple[dict, str | None]]:
        """``(result, NextToken)`` per page: ``result`` in the MWS shape ``events.read`` takes; from ``token``
        when given. A token Amazon no longer accepts is ``NextTokenExpiredError``."""
        ...


class MwsListing:
    """ListFinancialEvents and its ByNextToken pages."""

    def __init__(self, client: MwsClient) -> None:
        self.client = client

    def pages(self, after: str, before: str, per_page: int, token: str | None) -> Iterator[tuple[dict, str | None]]:
        if token:
            responses = self.client.pages("ListFinancialEventsByNextToken", {"NextToken": token})
        else:
            responses = self.client.pages("ListFinancialEvents", {"PostedAfter": after, "PostedBefore": before,
                                                                   "MaxResultsPerPage": per_page})
        for response in responses:
            yield response.result, text(response.result.get("NextToken")) or None


def _window(listing: Listing, state: dict, end: str, per_page: int) -> Iterator[Page]:
    """The pages of one window; a window left unfinished by an earlier run continues where it stopped."""
    state = st.open_window(state, end)
    window = state["window"]
    pages = iter(()) if window["complete"] else listing.pages(state["cursor"], end, per_page, window["token"])
    occurrences: Counter[str] = Counter()  # identical events in this walk of the window are told apart
    for result, next_token in pages:
        fresh, keys = [], []
        for event in ev.read(result):
            content = event.content()
            occurrences[content] += 1
            key = st.digest(content, occurrences[content])
            if not st.seen(state, key):
                fresh.append(event)
                keys.append(key)
        state = st.page_emitted(state, keys, next_token)
        yield Page(ev.messages(fresh, state["cursor"], end), state, end, events=len(fresh))
    yield Page([], st.close_window(state), end, window_closed=True)
