"""Orders 2026-01-01 wire format: the world's ``Order`` as SP-API's ``Order`` JSON object.

Only the datasets named in ``includedData`` appear (BUYER, RECIPIENT, PROCEEDS, PROMOTION,
FULFILLMENT; the world has nothing for EXPENSE, CANCELLATION, PACKAGES, TAX, PAYMENT and
FULFILLMENT_ORDERS, so those add nothing). Personal data needs a restricted data token: without
``buyerInfo`` the buyer is left out; without ``shippingAddress`` the delivery address keeps only
city, region, postal code, country and type. ``withheld`` names what was left out. A Pending order
has no buyer, address or money yet, as on MWS.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..models.orders import Address, Order, OrderItem
from ..timefmt import iso_z
from .statuses import FULFILLED_BY, FULFILLMENT_STATUS, SERVICE_LEVEL

DAY = 86_400
ZERO = Decimal("0.00")
ADDRESS_PII = ("name", "addressLine1", "addressLine2", "phone")


@dataclass(frozen=True)
class View:
    """What the caller asked for (``included``) and what its token unlocks (``elements``)."""

    included: frozenset[str]
    elements: frozenset[str] = frozenset()

    def withheld(self, orders: Iterable[Order]) -> list[str]:
        """Requested personal data left out of these orders for want of a restricted data token."""
        shown = [o for o in orders if o.revealed]
        notes = []
        if shown and "BUYER" in self.included and "buyerInfo" not in self.elements:
            notes.append("buyer (needs a restricted data token with dataElements buyerInfo)")
        if shown and "RECIPIENT" in self.included and "shippingAddress" not in self.elements:
            notes.append("recipient.deliveryAddress " + "/".join(ADDRESS_PII)
                         + " (needs a restricted data token with dataElements shippingAddress)")
        return notes


def money(amount: Decimal, currency: str) -> dict:
    return {"amount": f"{amount:.2f}", "currencyCode": currency}


def _address(address: Address, full: bool) -> dict:
    fields = {"city": address.city, "stateOrRegion": address.state, "postalCode": address.postal_code,
              "countryCode": address.country, "addressType": (address.address_type or "").upper() or None}
    if full:
        fields |= {"name": address.name, "addressLine1": address.line1, "addressLine2": address.line2,
                   "phone": address.phone}
    return {k: v for k, v in fields.items() if v is not None}


def _breakdowns(items: Iterable[OrderItem], currency: str) -> list[dict]:
    items = list(items)
    parts = (("ITEM", sum((i.item_price for i in items), ZERO)), ("SHIPPING", sum((i.shipping for i in items), ZERO)),
             ("TAX", sum((i.tax for i in items), ZERO)), ("DISCOUNT", -sum((i.promotion for i in items), ZERO)))
    return [{"type": kind, "subtotal": money(amount, currency)} for kind, amount in parts
            if kind != "DISCOUNT" or amount]


def _fulfillment(order: Order) -> dict:
    node = {"fulfillmentStatus": FULFILLMENT_STATUS[order.status], "fulfilledBy": FULFILLED_BY[order.channel],
            "fulfillmentServiceLevel": SERVICE_LEVEL.get(order.ship_category, "STANDARD")}
    if order.channel == "MFN":
        node["shipByWindow"] = _window(order.purchase_date + DAY, order.purchase_date + 3 * DAY)
        node["deliverByWindow"] = _window(order.purchase_date + 5 * DAY, order.purchase_date + 9 * DAY)
    return node


def _window(earliest: float, latest: float) -> dict:
    return {"earliestDateTime": iso_z(earliest), "latestDateTime": iso_z(latest)}


def _item(order: Order, item: OrderItem, view: View) -> dict:
    product = {"asin": item.asin, "title": item.title, "sellerSku": item.sku,
               "condition": {"conditionType": item.condition.upper(), "conditionSubtype": item.condition.upper()}}
    node: dict = {"orderItemId": item.order_item_id, "quantityOrdered": item.quantity, "product": product}
    if order.revealed:
        product["price"] = {"unitPrice": money(item.unit_price, order.currency)}
    if order.revealed and "PROCEEDS" in view.included:
        node["proceeds"] = {"proceedsTotal": money(item.total, order.currency),
                            "breakdowns": _breakdowns([item], order.currency)}
    if item.promotion and "PROMOTION" in view.included:
        node["promotion"] = {"breakdowns": [{"promotionId": f"SANDBOX-PROMO-{item.order_item_id[-6:]}"}]}
    if "FULFILLMENT" in view.included:
        unfulfilled = 0 if order.status == "Canceled" else item.quantity - item.shipped
        node["fulfillment"] = {"quantityFulfilled": item.shipped, "quantityUnfulfilled": unfulfilled}
    return node


def _programs(order: Order) -> list[str]:
    return [name for name, on in (("AMAZON_BUSINESS", order.is_business), ("PRIME", order.is_prime)) if on]


def _personal(order: Order, view: View) -> dict:
    node: dict = {}
    if "BUYER" in view.included and "buyerInfo" in view.elements:
        node["buyer"] = {"buyerName": order.buyer_name}
        if order.channel == "MFN":  # the model: buyerEmail only for merchant-fulfilled orders
            node["buyer"]["buyerEmail"] = order.buyer_email
    if "RECIPIENT" in view.included:
        node["recipient"] = {"deliveryAddress": _address(order.address, "shippingAddress" in view.elements)}
    return node


def order_json(order: Order, view: View) -> dict:
    """One ``Order``: required fields, then each included dataset the world has data for."""
    node: dict = {"orderId": order.amazon_order_id, "createdTime": iso_z(order.purchase_date),
                  "lastUpdatedTime": iso_z(order.last_update)}
    if order.seller_order_id:
        node["orderAliases"] = [{"aliasId": order.seller_order_id, "aliasType": "SELLER_ORDER_ID"}]
    if _programs(order):
        node["programs"] = _programs(order)
    node["salesChannel"] = {"channelName": "AMAZON", "marketplaceId": order.marketplace_id,
                            "marketplaceName": order.sales_channel}
    if order.revealed:
        node |= _personal(order, view)
    if order.revealed and "PROCEEDS" in view.included:
        node["proceeds"] = {"grandTotal": money(order.total, order.currency),
                            "breakdowns": _breakdowns(order.items, order.currency)}
    if "FULFILLMENT" in view.included:
        node["fulfillment"] = _fulfillment(order)
    node["orderItems"] = [_item(order, item, view) for item in order.items]
    return node


def search_orders_json(orders: Iterable[Order], view: View, bound_name: str, bound: float,
                       next_token: str | None) -> dict:
    body: dict = {"orders": [order_json(o, view) for o in orders]}
    if next_token:
        body["pagination"] = {"nextToken": next_token}
    body[bound_name] = iso_z(bound)
    return body
