"""listOrders: polling trigger that emits every new or changed order, once per version of it.

Each poll walks ``LastUpdatedAfter`` windows from the snapshot's cursor up to Amazon's own
``LastUpdatedBefore`` echo (never the local clock), emitting one data message per order and then the
snapshot, page by page; see ``lib.orders.state`` for why that never loses or repeats an order.
Fields: ``orderStatus`` (multi-select; empty = all), ``startTime`` (first poll's LastUpdatedAfter,
2006-01-01 or later; default 30 days back), ``fulfillmentChannel`` (AFN|MFN), ``marketplaceIds`` (extra marketplaces),
``maxResultsPerPage`` (1-100).

``getMarketplaces(cfg)`` is the select model of ``marketplaceIds``: the seller's own marketplaces.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta

from eiosdk.message import Message

from mws_component.lib import fields, steps
from mws_component.lib.connection import connect
from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.operations import format_timestamp
from mws_component.lib.mws.parsing import as_list, text
from mws_component.lib.mws.regions import marketplaces
from mws_component.lib.mws.retry import RetryPolicy
from mws_component.lib.orders import state as st
from mws_component.lib.orders.sync import OrderQuery, PollReport, poll

STATUSES = ("Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled", "Unfulfillable",
            "PendingAvailability", "InvoiceUnconfirmed")
TOGETHER = {"Unshipped", "PartiallyShipped"}  # Amazon refuses either one without the other
DEFAULT_LOOKBACK = timedelta(days=30)
# A person is waiting on the dropdown: fail fast rather than back off for minutes.
SELECT_POLICY = RetryPolicy(max_attempts=2, max_throttled=3, max_delay=5.0, max_quota_wait=0)


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
    return OrderQuery(markets, sent, frozenset(wanted), channel,
                      fields.integer(cfg, "maxResultsPerPage", 100, 1, 100))


def start_from(cfg: dict, now) -> tuple[str, str]:
    """``(setting as configured, first LastUpdatedAfter)``."""
    raw = fields.text(cfg, "startTime")
    if not raw:
        return "", format_timestamp(now - DEFAULT_LOOKBACK)
    start = fields.timestamp(raw, "startTime")
    if start > now:
        raise ConfigurationError(f"field 'startTime' {raw} is in the future (Amazon's time is "
                                 f"{format_timestamp(now)}); use a past date", field="startTime")
    return raw, format_timestamp(start)


def process(msg, cfg, snapshot, context):
    client = connect(cfg)
    query = query_from(cfg)
    start_key, start = start_from(cfg, client.server_now())
    state = st.ensure(snapshot, start_key, start)
    report = PollReport(context.logger.progress)  # windows, orders and quota waits, for people watching
    emitted = 0
    with client.deadline(steps.POLL_SECONDS), _observed(client, report):
        try:
            for page in poll(client, query, state, report):
                for order in page.orders:
                    context.emit("data", Message(body=order))
                emitted += len(page.orders)
                context.emit("snapshot", page.state)
        except steps.TRY_LATER as err:  # every emitted page's snapshot is saved: the next poll goes on
            report.stopped(f"this poll ends early after {emitted} orders: {steps.try_later_reason(err)}; "
                            "the next poll continues from the last saved page")
        else:
            report.finished()


def _observed(client, report: PollReport):
    """The client tells ``report`` of its quota waits and backoffs, if it can (``MwsClient.observed``)."""
    observed = getattr(client, "observed", None)
    return observed(report) if observed is not None else nullcontext()


def getMarketplaces(cfg):  # the platform calls the select model by the name component.json gives
    """The seller's other marketplaces for ``marketplaceIds``: ``{id: "Amazon.de (id)"}``, names as Amazon gives them.

    Read with Sellers ListMarketplaceParticipations (every page). Left out: the credential's own
    marketplace (always queried) and participations that are not retail marketplaces the trigger
    accepts (e.g. IBA), so every choice offered is one ``query_from`` takes.
    """
    client = connect(cfg, policy=SELECT_POLICY)
    known, names, ids = marketplaces(), {}, []
    for page in client.pages("ListMarketplaceParticipations"):
        result = page.result
        ids += [text(p.get("MarketplaceId"))
                for p in as_list((result.get("ListParticipations") or {}).get("Participation"))]
        names |= {text(m.get("MarketplaceId")): text(m.get("Name"))
                  for m in as_list((result.get("ListMarketplaces") or {}).get("Marketplace"))}
    own = client.credentials.marketplaceId
    return {i: f"{names.get(i) or known[i].name} ({i})" for i in dict.fromkeys(ids) if i in known and i != own}
