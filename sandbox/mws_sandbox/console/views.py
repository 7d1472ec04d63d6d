"""What each console page shows: plain context dicts built from the sandbox under its lock.

Orders and feeds come from the same models (and, for feeds, the same ``Sandbox.feeds`` dicts) the
JSON scenario API serves; the views only select, sort and format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..marketplaces import MARKETPLACES
from ..models.orders import CANCELED, OPEN, PENDING, STATUSES, UNSHIPPED, Order
from ..timefmt import iso_z
from . import quotas
from .feeds import every_feed
from .secrets import known_secrets

if TYPE_CHECKING:
    from ..app import Sandbox

CHANNELS = ("MFN", "AFN")
LOG_ROWS = 200


def common(sandbox: Sandbox) -> dict:
    seller = sandbox.backend.primary
    return {"now": sandbox.now_iso(), "seller_id": seller.seller_id, "faults": sandbox.faults_settings()}


def _marketplace_name(marketplace_id: str) -> str:
    known = MARKETPLACES.get(marketplace_id)
    return f"{known.name} ({known.country})" if known else marketplace_id


def _order_row(order: Order) -> dict:
    return {"id": order.amazon_order_id, "status": order.status, "purchased": iso_z(order.purchase_date),
            "updated": iso_z(order.last_update), "marketplace": _marketplace_name(order.marketplace_id),
            "marketplace_id": order.marketplace_id, "channel": order.channel, "sales_channel": order.sales_channel,
            "units": sum(i.quantity for i in order.items), "total": f"{order.total:.2f} {order.currency}",
            "can_move": order.status in OPEN, "can_cancel": order.status in (PENDING, UNSHIPPED)}


def _order_detail(order: Order) -> dict:
    items = [{"id": i.order_item_id, "sku": i.sku, "asin": i.asin, "title": i.title, "quantity": i.quantity,
              "shipped": i.shipped, "unit_price": f"{i.unit_price:.2f}", "total": f"{i.total:.2f}"}
             for i in order.items]
    history = [{"when": iso_z(when), "status": status} for when, status in order.history]
    events = [{"when": iso_z(when), "what": what} for when, what in order.events]
    address = order.address if order.revealed else None
    return {**_order_row(order), "items": items, "history": history, "events": events, "buyer": order.buyer_name if order.revealed
            else None, "address": address, "ship_level": order.ship_level, "prime": order.is_prime,
            "business": order.is_business, "canceled": order.status == CANCELED}


def _matches(order: Order, filters: dict[str, str]) -> bool:
    return ((not filters["status"] or order.status == filters["status"])
            and (not filters["marketplace"] or order.marketplace_id == filters["marketplace"])
            and (not filters["channel"] or order.channel == filters["channel"]))


def orders(sandbox: Sandbox, query: dict[str, str]) -> dict:
    filters = {key: query.get(key, "") for key in ("status", "marketplace", "channel")}
    with sandbox._lock:
        mine = sandbox.backend.orders.of_seller(sandbox.backend.primary.seller_id)
        mine.sort(key=lambda o: (o.purchase_date, o.amazon_order_id), reverse=True)
        shown = [_order_row(o) for o in mine if _matches(o, filters)]
        selected = next((_order_detail(o) for o in mine if o.amazon_order_id == query.get("order")), None)
        marketplaces = sorted({o.marketplace_id for o in mine} | set(filter(None, [filters["marketplace"]])))
    return {"orders": shown, "total": len(mine), "filters": filters, "selected": selected,
            "statuses": STATUSES, "channels": CHANNELS,
            "marketplaces": [(m, _marketplace_name(m)) for m in marketplaces]}


def feed_page(sandbox: Sandbox, query: dict[str, str]) -> dict:
    with sandbox._lock:
        return {"feeds": every_feed(sandbox, sandbox.clock.now(), known_secrets(sandbox))}


def _log_row(entry) -> dict:
    params = "&".join(f"{k}={v}" for k, v in entry.params)
    return {"time": iso_z(entry.time), "method": entry.method, "path": entry.path, "params": params,
            "operation": entry.operation, "status": entry.status, "code": entry.code or "",
            "throttled": entry.throttled, "failed": entry.failed}


def quota_page(sandbox: Sandbox, query: dict[str, str]) -> dict:
    with sandbox._lock:
        now, seller_id = sandbox.clock.now(), sandbox.backend.primary.seller_id
        entries = sandbox.request_log.entries()
        mws = quotas.mws_rows(sandbox.throttle_state.buckets(), seller_id, entries, now)
        sp_api = quotas.sp_api_rows(sandbox.usage_quota.buckets(), seller_id, entries, now)
    operation = query.get("op", "")
    plotted = [e for e in entries if not operation or e.operation == operation]
    return {"mws": mws, "sp_api": sp_api, "plot": quotas.plot(plotted, now), "op": operation,
            "operations": sorted({e.operation for e in entries}), "log": [_log_row(e) for e in reversed(entries)][
                :LOG_ROWS], "logged": len(entries)}


def time_page(sandbox: Sandbox, query: dict[str, str]) -> dict:
    return {"stats": sandbox.stats()}
