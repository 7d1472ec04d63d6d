"""listFinancialEvents: polling trigger that emits the fees, commissions, refunds and taxes posted since the last poll.

Each poll walks ``[PostedAfter, PostedBefore)`` windows of MWS Finances ListFinancialEvents (and its
ByNextToken pages) from the snapshot's cursor up to Amazon's now less its two minutes, emitting one
message per order with that order's events on the page (``kind`` ``order``), one message per event
that has no order (``kind`` ``serviceFee``, ``adjustment``...), then the snapshot, page by page; see
``lib.finances.state`` for why that never loses or repeats an event, and ``lib.finances.events`` for
the message. Amounts are exact decimal text.

Fields: ``startTime`` (the first poll's PostedAfter, 2006-01-01 or later; default 30 days back),
``settleHours`` (0-720, default 48: each poll reads up to this long before Amazon's now, because Amazon
warns that events of the last 48 hours may not be listed yet, and a window once read is never read
again), ``maxResultsPerPage`` (events per page, 1-100).
The credentials choose the API: MWS ListFinancialEvents, or SP-API Finances v0 listFinancialEvents
(``lib.spapi.finances``), with the same windows, snapshot and messages.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from eiosdk.message import Message

from mws_component.lib import fields, steps
from mws_component.lib.connection import connect
from mws_component.lib.finances import state as st
from mws_component.lib.finances.sync import MwsListing, Tally, poll
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.spapi.finances import SpApiListing

DEFAULT_LOOKBACK = timedelta(days=30)
DEFAULT_SETTLE_HOURS = 48  # Amazon: "Orders from the last 48 hours might not be included in financial events"


def start_time(cfg: dict) -> tuple[str, datetime | None]:
    """``(setting as configured, its instant or None for the default)``, checked before any request."""
    raw = fields.text(cfg, "startTime")
    return raw, fields.timestamp(raw, "startTime") if raw else None


def start_from(raw: str, start: datetime | None, now: datetime) -> str:
    """The first ``PostedAfter``, judged against ``now``, Amazon's time."""
    if start is None:
        return format_timestamp((now - DEFAULT_LOOKBACK).replace(microsecond=0))
    if start > now:
        raise ConfigurationError(f"field 'startTime' {raw} is in the future (Amazon's time is "
                                 f"{format_timestamp(now)}); use a past date", field="startTime")
    return format_timestamp(start)


def process(msg, cfg, snapshot, context):
    per_page = fields.integer(cfg, "maxResultsPerPage", 100, 1, 100)
    settle = timedelta(hours=fields.integer(cfg, "settleHours", DEFAULT_SETTLE_HOURS, 0, 720))
    raw, start = start_time(cfg)
    client = connect(cfg)
    listing = MwsListing(client) if isinstance(client, MwsClient) else SpApiListing(client)

    def first_cursor() -> str:  # the default start and the future check are decisions on Amazon's clock
        client.sync_clock()
        return start_from(raw, start, client.server_now())

    state = st.ensure(snapshot, raw, first_cursor)  # a corrupt snapshot fails here, before any request
    tally = Tally()
    with client.deadline(steps.POLL_SECONDS):
        try:
            for page in poll(client, state, per_page, tally, settle, listing):
                for body in page.messages:
                    context.emit("data", Message(body=body))
                context.emit("snapshot", page.state)
        except steps.TRY_LATER as err:  # every emitted page's snapshot is saved: the next poll goes on
            context.logger.info(f"this poll ends early after {tally.events} events: {steps.try_later_reason(err)}; "
                                "the next poll continues from the last saved page")
            return
    context.logger.info(f"poll done: {tally.windows} window(s), {tally.events} events in {tally.messages} "
                        f"messages, up to {tally.last_end or state['cursor']}")
