"""listOrders: polling trigger that emits every new or changed order, once per version of it.

Each poll walks ``LastUpdatedAfter`` windows (``CreatedAfter`` with ``dateKind`` created) from the
snapshot's cursor up to Amazon's own ``LastUpdatedBefore`` echo (never the local clock) or ``endTime``, emitting one data message per order and then the
snapshot, page by page; see ``lib.orders.state`` for why that never loses or repeats an order.
Fields: ``orderStatus`` (multi-select; empty = all), ``startTime`` (first poll's LastUpdatedAfter,
2006-01-01 or later; default 30 days back), ``fulfillmentChannel`` (AFN|MFN), ``marketplaceIds`` (extra marketplaces),
``maxResultsPerPage`` (1-100), ``endTime`` (optional, after ``startTime``: walk only up to it, then
each poll emits nothing and says the chunk is done; a changed end time continues from the cursor),
``dateKind`` (``lastUpdated``: every change, the default; ``created``: each order once, when it was
created; a changed kind starts over, like a changed ``startTime``).

``includePersonalData`` (SP-API: buyer and address data through a restricted data token).

The credentials choose the walk: ``lib.orders.sync.poll`` over MWS ListOrders, or
``lib.spapi.orders.poll`` over SP-API searchOrders; both yield the same pages and keep the same
snapshot state, so the guarantees are the same.

``getMarketplaces(cfg)`` is the select model of ``marketplaceIds``: the seller's own marketplaces.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from eiosdk.message import Message

from mws_component.lib import fields, steps
from mws_component.lib.connection import connect
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.parsing import as_list, text
from mws_component.lib.mws.regions import marketplaces
from mws_component.lib.mws.retry import INTERACTIVE
from mws_component.lib.orders import state as st
from mws_component.lib.orders.sync import OrderQuery, PollReport
from mws_component.lib.orders.sync import poll as mws_poll
from mws_component.lib.spapi import orders as spapi_orders
from mws_component.lib.spapi.verify import participations as sp_participations

STATUSES = ("Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled", "Unfulfillable",
            "PendingAvailability", "InvoiceUnconfirmed")
TOGETHER = {"Unshipped", "PartiallyShipped"}  # Amazon refuses either one without the other
DEFAULT_LOOKBACK = timedelta(days=30)
DATE_KINDS = {"lastUpdated": "LastUpdated", "created": "Created"}  # dateKind -> OrderQuery.by (Amazon's prefix)


def query_from(cfg: dict) -> OrderQuery:
    """The ListOrders filters from the step's fields, validated before any request."""
    wanted = fields.as_items(cfg.get("orderStatus"), "orderStatus")
    unknown = [s for s in wanted if s not in STATUSES]
    if unknown:
        raise ConfigurationError(f"field 'orderStatus' has unknown status(es) "
                                 f"{', '.join(fields.shown(u) for u in unknown[:5])}; "
                                 f"choose from {', '.join(STATUSES)}", field="orderStatus")
    sent = sorted(set(wanted) | (TOGETHER if TOGETHER & set(wanted) else set()), key=STATUSES.index)
    channel = fields.text(cfg, "fulfillmentChannel") or None
    if channel not in (None, "AFN", "MFN"):
        raise ConfigurationError("field 'fulfillmentChannel' must be AFN (Amazon) or MFN (merchant), or empty "
                                 f"for both; got {fields.shown(channel)}", field="fulfillmentChannel")
    extra = fields.marketplace_ids(fields.as_items(cfg.get("marketplaceIds"), "marketplaceIds"), "marketplaceIds")
    markets = list(dict.fromkeys([cfg["marketplaceId"], *extra]))
    query = OrderQuery(markets, sent, frozenset(wanted), channel, fields.integer(cfg, "maxResultsPerPage", 100, 1, 100))
    return replace(query, by=DATE_KINDS[date_kind(cfg)], until=end_time(cfg, start_time(cfg)[1]))


def date_kind(cfg: dict) -> str:
    """``dateKind``: ``lastUpdated`` (the default) or ``created``."""
    kind = fields.text(cfg, "dateKind") or "lastUpdated"
    if kind not in DATE_KINDS:
        raise ConfigurationError("field 'dateKind' must be lastUpdated (every change of an order) or created (each "
                                 f"order once, when it was created); got {fields.shown(kind)}", field="dateKind")
    return kind


def end_time(cfg: dict, start: datetime | None) -> datetime | None:
    """``endTime``'s instant (None when empty), checked like ``startTime`` and to be after it."""
    raw = fields.text(cfg, "endTime")
    end = fields.timestamp(raw, "endTime") if raw else None
    if end is not None and start is not None and end <= start:
        raise ConfigurationError(f"field 'endTime' {raw} must be after startTime {format_timestamp(start)}",
                                 field="endTime")
    return end


def start_time(cfg: dict) -> tuple[str, datetime | None]:
    """``(setting as configured, its instant or None for the default)``, checked before any request."""
    raw = fields.text(cfg, "startTime")
    return raw, fields.timestamp(raw, "startTime") if raw else None


def start_from(raw: str, start: datetime | None, now: datetime, until: datetime | None = None) -> str:
    """The first ``LastUpdatedAfter`` (or ``CreatedAfter``), judged against ``now``, Amazon's time."""
    if start is None:
        start = now - DEFAULT_LOOKBACK
        if until is not None and until <= start:
            raise ConfigurationError(f"field 'endTime' {format_timestamp(until)} must be after the start, which is "
                                     f"30 days back by default ({format_timestamp(start)}); set startTime",
                                     field="endTime")
        return format_timestamp(start)
    if start > now:
        raise ConfigurationError(f"field 'startTime' {raw} is in the future (Amazon's time is "
                                 f"{format_timestamp(now)}); use a past date", field="startTime")
    return format_timestamp(start)


def process(msg, cfg, snapshot, context):
    client = connect(cfg)
    query = query_from(cfg)
    raw, start = start_time(cfg)

    def first_cursor() -> str:  # the default start and the future check are decisions on Amazon's clock
        client.sync_clock()
        return start_from(raw, start, client.server_now(), query.until)

    kind = date_kind(cfg)
    state = st.ensure(snapshot, raw, first_cursor, kind)  # a corrupt snapshot fails here, before any request
    report = PollReport(context.logger.progress)  # windows, orders and quota waits, for people watching
    emitted = 0
    with client.deadline(steps.POLL_SECONDS), client.observed(report):
        try:
            for page in walk(client, query, state, report, fields.flag(cfg, "includePersonalData")):
                for order in page.orders:
                    context.emit("data", Message(body=order))
                emitted += len(page.orders)
                context.emit("snapshot", page.state)
                state = page.state
        except steps.TRY_LATER as err:  # every emitted page's snapshot is saved: the next poll goes on
            report.stopped(f"this poll ends early after {emitted} orders: {steps.try_later_reason(err)}; "
                            "the next poll continues from the last saved page")
        else:
            report.finished()
            if st.reached(state, query.until):
                context.logger.info(f"orders up to {format_timestamp(query.until)} are done; set a later endTime "
                                    "or clear it to go on")


def walk(client, query: OrderQuery, state: dict, report: PollReport, personal: bool):
    """The pages of one poll, over the API the credentials are for."""
    if isinstance(client, MwsClient):
        return mws_poll(client, query, state, report)  # MWS answers with buyer data, no token needed
    return spapi_orders.poll(client, query, state, report, personal_data=personal)


def getMarketplaces(cfg):  # the platform calls the select model by the name component.json gives
    """The seller's other marketplaces for ``marketplaceIds``: ``{id: "Amazon.de (id)"}``, names as Amazon gives them.

    Read with Sellers ListMarketplaceParticipations (every page). Left out: the credential's own
    marketplace (always queried) and participations that are not retail marketplaces the trigger
    accepts (e.g. IBA), so every choice offered is one ``query_from`` takes.
    """
    client = connect(cfg, policy=INTERACTIVE)
    own, known = client.credentials.marketplaceId, marketplaces()
    if not isinstance(client, MwsClient):
        found = sp_participations(client)
        return {i: f"{name or known[i].name} ({i})" for i, (name, _) in found.items() if i in known and i != own}
    names, ids = {}, []
    for page in client.pages("ListMarketplaceParticipations"):
        result = page.result
        ids += [text(p.get("MarketplaceId"))
                for p in as_list((result.get("ListParticipations") or {}).get("Participation"))]
        names |= {text(m.get("MarketplaceId")): text(m.get("Name"))
                  for m in as_list((result.get("ListMarketplaces") or {}).get("Marketplace"))}
    return {i: f"{names.get(i) or known[i].name} ({i})" for i in dict.fromkeys(ids) if i in known and i != own}
