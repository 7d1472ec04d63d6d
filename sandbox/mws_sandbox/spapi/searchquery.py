"""searchOrders' parameter rules, from orders_2026-01-01.json, turned into the world's ``OrderQuery``.

Exactly one of createdAfter and lastUpdatedAfter; a Before only with its own After, not earlier
than it and at least two minutes before the request (default: now minus two minutes, echoed in
the answer as createdBefore/lastUpdatedBefore); marketplaceIds default to all of the seller's;
1-100 results per page (default 100).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..models.accounts import Seller
from ..models.orders import OrderQuery
from ..timefmt import iso_z
from .errors import InvalidInput
from .query import Query
from .statuses import FULFILLMENT_STATUSES, INCLUDED_DATA, world_channels, world_statuses

LAG_SECONDS = 120


@dataclass(frozen=True)
class SearchSpec:
    query: OrderQuery
    bound_name: str
    size: int


def _window(q: Query, now: float) -> tuple[str, float, float]:
    created, updated = q.date("createdAfter"), q.date("lastUpdatedAfter")
    if (created is None) == (updated is None):
        raise InvalidInput("Provide exactly one of createdAfter and lastUpdatedAfter.")
    by, after, other = ("created", created, "lastUpdated") if created is not None else ("lastUpdated", updated, "created")
    if q.one(f"{other}Before") is not None:
        raise InvalidInput(f"{other}Before cannot be combined with {by}After; use {by}Before.")
    latest = math.floor(now - LAG_SECONDS)
    before = q.date(f"{by}Before")
    if before is not None and before > latest:
        raise InvalidInput(f"{by}Before must be at least two minutes before the request ({iso_z(latest)} or "
                           "earlier); or leave it out.")
    before = latest if before is None else before
    if after > before:
        raise InvalidInput(f"{by}Before must be equal to or after {by}After.")
    return by, after, before


def search_spec(q: Query, seller: Seller, now: float) -> SearchSpec:
    """The world query, the name of the echoed bound and the page size; InvalidInput on bad input."""
    by, after, before = _window(q, now)
    marketplaces = q.many("marketplaceIds", max_items=50) or tuple(seller.marketplace_ids)
    query = OrderQuery(
        "Created" if by == "created" else "LastUpdated", after, before, marketplaces,
        world_statuses(q.many("fulfillmentStatuses", FULFILLMENT_STATUSES)) if q.many("fulfillmentStatuses") else (),
        world_channels(q.many("fulfilledBy", ("MERCHANT", "AMAZON"))) if q.many("fulfilledBy") else (),
    )
    return SearchSpec(query, f"{by}Before", q.integer("maxResultsPerPage", 1, 100, 100))


def included_data(q: Query) -> frozenset[str]:
    return frozenset(q.many("includedData", INCLUDED_DATA))
