"""Orders over SP-API (Orders 2026-01-01): the listOrders poll over searchOrders (one order's reads are
``order_reads``, kept apart so the steps that read one order start without the poll's modules).

``poll`` yields the same ``lib.orders.sync.Page`` objects and moves the same ``lib.orders.state``
cursor as the MWS ``poll``, so the listOrders trigger can pick either by credentials with the same
guarantees: windows ``[cursor, end]`` on Amazon's clock (learned from the answers' ``Date``),
page-by-page state (emit a page's orders, then persist its state), a run killed between pages
resumes from the saved ``paginationToken`` or walks the window again skipping what was emitted:
no loss, no duplicates. Pacing (searchOrders: 0.0056 requests per second, burst 20), 429s, 5xx
and dropped connections are the client's job.

Unlike MWS, every window has an explicit ``lastUpdatedBefore``: Amazon requires the follow-up
pages to repeat the first request's parameters exactly, and a resumed run must be able to. The
live window ends ``AMAZON_LAG + LIVE_MARGIN`` before Amazon's now, fixed once per poll (the
signpost), so a poll ends even while time passes during pacing waits. An end time
(``query.until``) caps the signpost; once the cursor is there, ``poll`` sends nothing.

Windows are on ``lastUpdated`` or, with ``query.by == "Created"``, on ``created`` dates (Amazon takes
exactly one of createdAfter and lastUpdatedAfter, and a Before only of the same kind); an order's
version is then its ``createdTime``, so it is emitted once.

Field mapping: see ``lib.spapi.convert``. Personal data (buyer name and email, purchase order
number, shipping address, buyer tax info) is withheld unless ``personal_data=True``, which sends a
restricted data token (the seller must have granted the app a restricted role).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta

from mws_component.lib.mws.errors import InvalidRequestError, NextTokenExpiredError, ResponseIntegrityError
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.server_time import parse_iso
from mws_component.lib.orders import state as st
from mws_component.lib.orders.sync import (
    AMAZON_LAG,
    MAX_WINDOW_RESTARTS,
    OrderQuery,
    Page,
    PollObserver,
    Tally,
)

from .client import SpApiClient, TokenSource
from .convert import CHANNEL_FILTER, STATUS_FILTER, STATUSES, order_json
from .order_reads import DATA_ELEMENTS, LIST_DATA, WITHHELD, included
from .tokens import RestrictedToken

DATE_FIELDS = {"LastUpdated": "lastUpdatedTime", "Created": "createdTime"}  # OrderQuery.by -> the order's date
LIVE_MARGIN = timedelta(minutes=1)  # Date has whole seconds, and the request takes time to arrive
SEARCH_PATH = "/orders/2026-01-01/orders"

log = logging.getLogger("mws_component.spapi.orders")


def search_params(query: OrderQuery, after: str, before: str, personal: bool = False) -> dict:
    """searchOrders' parameters for one window; the same for every page of it."""
    statuses = [STATUS_FILTER[s] for s in query.statuses if s in STATUS_FILTER]
    by = "created" if query.by == "Created" else "lastUpdated"
    return {
        f"{by}After": after,
        f"{by}Before": before,
        "marketplaceIds": query.marketplace_ids,
        "fulfillmentStatuses": statuses or None,
        "fulfilledBy": [CHANNEL_FILTER[query.fulfillment_channel]] if query.fulfillment_channel else None,
        "maxResultsPerPage": query.max_per_page,
        "includedData": included(LIST_DATA, personal),
    }


def poll(client: SpApiClient, query: OrderQuery, state: dict, observer: PollObserver | None = None, *,
         personal_data: bool = False) -> Iterator[Page]:
    """Every window from the cursor up to Amazon's now (less its lag), as pages to emit; ``observer``
    hears of each window and page, as on MWS."""
    if st.reached(state, query.until):
        return  # the chunk up to the end time is done: nothing to ask
    tally = Tally(observer, query.until)
    if not personal_data:
        log.info("listing orders without personal data: %s", WITHHELD)
    tokens = RestrictedToken(client, "GET", SEARCH_PATH, DATA_ELEMENTS) if personal_data else None
    client.sync_clock()  # decide on Amazon's clock, never on the machine's alone
    signpost = (client.server_now() - AMAZON_LAG - LIVE_MARGIN).replace(microsecond=0)  # exact as text
    signpost = min(signpost, query.until) if query.until is not None else signpost
    while state.get("window") or st.as_datetime(state["cursor"]) < signpost:
        end = _end(state, signpost)
        tally.open(client, state)
        for restart in range(MAX_WINDOW_RESTARTS + 1):
            try:
                for page in _window(client, query, state, end, personal_data, tokens):
                    state = page.state
                    tally.page(page)
                    yield page
                break
            except NextTokenExpiredError:
                if restart == MAX_WINDOW_RESTARTS:
                    raise
                state = st.forget_token(state)


def _end(state: dict, signpost: datetime) -> str:
    """The window's bound: the one saved with it, else ``windowSeconds`` on, at most the signpost."""
    window = state.get("window")
    return window["end"] if window else format_timestamp(st.next_end(state, signpost))


def _window(client: SpApiClient, query: OrderQuery, state: dict, end: str, personal: bool,
            tokens: TokenSource | None) -> Iterator[Page]:
    """The pages of one window; a window left unfinished by an earlier run continues where it stopped."""
    state = st.open_window(state, end)
    window = state["window"]
    params = search_params(query, state["cursor"], end, personal)
    pages = iter(()) if window["complete"] else _pages(client, params, window["token"], tokens)
    bound, dated = parse_iso(end), DATE_FIELDS[query.by]
    for data in pages:
        listed = {_key(o, dated): o for o in data.get("orders") or [] if isinstance(o, dict)}  # one per version
        fresh = {k: o for k, o in listed.items() if not st.seen(state, *k) and not _after(o.get(dated), bound)}
        state = st.page_emitted(state, list(fresh), next_token(data))
        wanted = [order_json(o) for o in fresh.values() if not query.keep or _status(o) in query.keep]
        yield Page(wanted, state, end)
    count = state["window"]["count"]
    yield Page([], st.close_window(state), end, window_closed=True, window_count=count)


def _pages(client: SpApiClient, params: dict, token: str | None, tokens: TokenSource | None) -> Iterator[dict]:
    """searchOrders answers, page by page, from ``token`` (a resumed window) or from the first page."""
    seen: set[str] = set()
    while True:
        try:
            data = client.call("searchOrders", {**params, "paginationToken": token}, tokens=tokens).data
        except InvalidRequestError as err:
            if token is None:
                raise
            raise NextTokenExpiredError(f"Amazon refused the saved paginationToken ({err.message}); the window "
                                        "is walked again, skipping the orders already emitted",
                                        operation="searchOrders", request_id=err.request_id) from err
        yield data
        token = next_token(data)
        if token is None:
            return
        if token in seen:
            raise ResponseIntegrityError("searchOrders repeated a nextToken: the listing loops",
                                         operation="searchOrders")
        seen.add(token)


def next_token(data: dict) -> str | None:
    token = (data.get("pagination") or {}).get("nextToken") if isinstance(data.get("pagination"), dict) else None
    return token if isinstance(token, str) and token else None


def _key(order: dict, dated: str) -> tuple[str, str]:
    order_id, version = order.get("orderId"), order.get(dated)
    if not isinstance(order_id, str) or not isinstance(version, str):
        raise ResponseIntegrityError(f"searchOrders listed an order without orderId or {dated}",
                                     operation="searchOrders")
    return order_id, st.version(version)


def _status(order: dict) -> str | None:
    return STATUSES.get((order.get("fulfillment") or {}).get("fulfillmentStatus"))


def _after(date: object, bound: datetime) -> bool:
    """Whether Amazon listed an order dated after the window's end: it belongs to the next window."""
    try:
        return parse_iso(date if isinstance(date, str) else "") > bound
    except ValueError:
        return False
