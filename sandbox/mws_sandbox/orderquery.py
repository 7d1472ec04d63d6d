"""ListOrders' parameter rules (mws.md §3.2), turning request parameters into an ``OrderQuery``.

CreatedAfter XOR LastUpdatedAfter; a Before only with its own After and later than it; every
bound at least two minutes before the request (the default Before is server now minus two
minutes, echoed in the response); Unshipped and PartiallyShipped only together; marketplaces the
seller participates in; BuyerEmail and SellerOrderId exclude the other filters; 1-100 per page.
"""

from __future__ import annotations

from .errors import InvalidParameterValue
from .models.accounts import Seller
from .models.orders import PARTIALLY_SHIPPED, STATUSES, UNSHIPPED, OrderQuery
from .params import Params
from .timefmt import iso_ms

LAG_SECONDS = 120
SHIPMENT_STATUSES = ("PendingPickUp", "LabelCanceled", "PickedUp", "OutForDelivery", "Damaged", "Delivered",
                     "RejectedByBuyer", "Undeliverable", "ReturnedToSeller", "ReturningToSeller", "Lost")
EXCLUSIVE = ("FulfillmentChannel.Channel.1", "OrderStatus.Status.1", "PaymentMethod.Method.1",
             "LastUpdatedAfter", "LastUpdatedBefore")


def _window(p: Params, now: float) -> tuple[str, float, float]:
    """(``Created`` or ``LastUpdated``, after, before) with Amazon's date rules."""
    created, updated = p.date("CreatedAfter"), p.date("LastUpdatedAfter")
    if created is None and updated is None:
        raise InvalidParameterValue("CreatedAfter or LastUpdatedAfter must be specified")
    if created is not None and updated is not None:
        raise InvalidParameterValue("CreatedAfter and LastUpdatedAfter cannot both be specified; send one.")
    by, after = ("Created", created) if created is not None else ("LastUpdated", updated)
    other = "LastUpdated" if by == "Created" else "Created"
    if p.has(f"{other}Before"):
        raise InvalidParameterValue(f"{other}Before cannot be used with {by}After; use {by}Before.")
    latest = now - LAG_SECONDS
    before = p.date(f"{by}Before")
    if before is not None and before > latest:
        raise InvalidParameterValue(f"{by}Before must be no later than two minutes before the time the request "
                                    f"was submitted ({iso_ms(latest)} or earlier); or leave it out.")
    before = latest if before is None else before
    if after > before:
        raise InvalidParameterValue(f"The {by}After date is after the {by}Before date.")
    return by, after, before


def _marketplaces(p: Params, seller: Seller) -> tuple[str, ...]:
    ids = p.members("MarketplaceId.Id", limit=50)
    if not ids:
        raise InvalidParameterValue("MarketplaceId.Id.1 is required: list the marketplaces to search, e.g. "
                                    f"MarketplaceId.Id.1={seller.home_marketplace}.")
    for marketplace_id in ids:
        seller.retail_marketplace(marketplace_id, "MarketplaceId")
    return tuple(ids)


def _statuses(p: Params) -> tuple[str, ...]:
    statuses = p.choices("OrderStatus.Status", STATUSES)
    if (UNSHIPPED in statuses) != (PARTIALLY_SHIPPED in statuses):
        raise InvalidParameterValue("OrderStatus Unshipped and PartiallyShipped must be requested together.")
    return tuple(statuses)


def _exclusions(p: Params) -> None:
    for name in ("BuyerEmail", "SellerOrderId"):
        if not p.has(name):
            continue
        for other in (*EXCLUSIVE, "SellerOrderId" if name == "BuyerEmail" else "BuyerEmail"):
            if p.has(other):
                raise InvalidParameterValue(f"{name} cannot be combined with {other.split('.')[0]}.")


def list_orders_query(p: Params, seller: Seller, now: float) -> tuple[OrderQuery, str, int]:
    """The query, the name of the echoed bound (CreatedBefore/LastUpdatedBefore) and the page size."""
    by, after, before = _window(p, now)
    _exclusions(p)
    shipment = p.choices("TFMShipmentStatus.Status", SHIPMENT_STATUSES) + p.choices(
        "EasyShipShipmentStatus.Status", SHIPMENT_STATUSES)
    query = OrderQuery(
        by, after, before, _marketplaces(p, seller), _statuses(p),
        tuple(p.choices("FulfillmentChannel.Channel", ("AFN", "MFN"))),
        tuple(p.choices("PaymentMethod.Method", ("COD", "CVS", "Other"))),
        p.get("BuyerEmail"), p.get("SellerOrderId"),
        impossible=bool(shipment),  # sandbox orders are neither Easy Ship (IN) nor TFM shipments
    )
    return query, f"{by}Before", p.integer("MaxResultsPerPage", 1, 100, 100)
