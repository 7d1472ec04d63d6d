"""Orders v0 confirmShipment: a package of an order's items shipped, answered 204 No Content.

The same change an MWS OrderFulfillment feed makes (``models.orders.confirm_shipment``): the items
ship, the order becomes Shipped or PartiallyShipped, and the carrier and tracking number go into
its events. A ``packageReferenceId`` already confirmed for the order is answered 204 again without a
second shipment (the sandbox's choice, so a client may resend a confirmation whose answer it lost).
Refused with 400 InvalidInput: a body that is not the model's ``ConfirmShipmentRequest``, a ship
date in the future, an order that is not Unshipped or PartiallyShipped, an item not in the order or
more units than are still open; an unknown order is 404 NotFound.
"""

from __future__ import annotations

import re

from ..models.orders import PARTIALLY_SHIPPED, UNSHIPPED, Order, confirm_shipment
from ..timefmt import parse_iso
from .body import json_object, marketplaces
from .call import SpAnswer, SpCall
from .errors import InvalidInput, NotFound
from .handlers import ORDER_ID

REQUIRED = ("packageReferenceId", "carrierCode", "trackingNumber", "shipDate", "orderItems")
PACKAGE_ID = re.compile(r"^[1-9]\d{0,19}$")


def confirm_shipment_handler(call: SpCall) -> SpAnswer:
    order = _order(call)
    body = json_object(call, "marketplaceId and packageDetail")
    marketplaces(call, [body.get("marketplaceId")], name="marketplaceId", most=1)
    package = _package(body.get("packageDetail"), call.now)
    if package["packageReferenceId"] in order.packages:
        return SpAnswer({}, status=204)
    lines = _lines(order, package["orderItems"])
    carrier = package.get("carrierName") or package["carrierCode"]
    method = f" {package['shippingMethod']}" if package.get("shippingMethod") else ""
    note = (f"Shipped {sum(lines.values())} unit(s) on {package['shipDate']} via {carrier}{method}, tracking "
            f"{package['trackingNumber']} (package {package['packageReferenceId']})")
    confirm_shipment(order, lines, note, call.now)
    order.packages.add(package["packageReferenceId"])
    return SpAnswer({}, status=204)


def _order(call: SpCall) -> Order:
    order_id = call.args["orderId"]
    if not ORDER_ID.match(order_id):
        raise InvalidInput("Invalid Input", details=f"orderId {order_id} is not an Amazon order id (3-7-7 digits).")
    order = call.backend.orders.get(call.seller_id, order_id)
    if order is None:
        raise NotFound(f"Order {order_id} was not found for this seller.")
    if order.status not in (UNSHIPPED, PARTIALLY_SHIPPED):
        raise InvalidInput("Invalid Input", details=f"Order {order_id} is {order.status}; only {UNSHIPPED} or "
                           f"{PARTIALLY_SHIPPED} orders can be confirmed as shipped.")
    return order


def _package(detail: object, now: float) -> dict:
    if not isinstance(detail, dict):
        raise InvalidInput("Invalid Input", details="packageDetail must be an object.")
    missing = [name for name in REQUIRED if detail.get(name) in (None, "", [])]
    if missing:
        raise InvalidInput("Invalid Input", details=f"packageDetail is missing {', '.join(missing)}.")
    if not PACKAGE_ID.match(str(detail["packageReferenceId"])):
        raise InvalidInput("Invalid Input", details="packageReferenceId must be a positive number.")
    if detail["carrierCode"] == "Other" and not detail.get("carrierName"):
        raise InvalidInput("Invalid Input", details="carrierName is required when carrierCode is Other.")
    _ship_date(str(detail["shipDate"]), now)
    return {**detail, "packageReferenceId": str(detail["packageReferenceId"])}


def _ship_date(text: str, now: float) -> None:
    shipped = parse_iso(text)
    if shipped is None or "T" not in text:
        raise InvalidInput("Invalid Input", details=f"shipDate {text} is not an ISO 8601 date-time.")
    if shipped > now:
        raise InvalidInput("Invalid Input", details=f"shipDate {text} is in the future.")


def _lines(order: Order, items: object) -> dict[str, int]:
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InvalidInput("Invalid Input", details="orderItems must be a list of {orderItemId, quantity}.")
    open_units = {i.order_item_id: i.open_units for i in order.items}
    lines: dict[str, int] = {}
    for entry in items:
        item_id = str(entry.get("orderItemId") or "")
        lines[item_id] = lines.get(item_id, 0) + _quantity(order, entry, item_id, open_units)
        if lines[item_id] > open_units[item_id]:
            raise InvalidInput("Invalid Input", details=f"Order item {item_id} has {open_units[item_id]} unit(s) "
                               f"left to ship, not {lines[item_id]}.")
    return lines


def _quantity(order: Order, entry: dict, item_id: str, open_units: dict[str, int]) -> int:
    if item_id not in open_units:
        raise InvalidInput("Invalid Input", details=f"Order item {item_id} is not in order {order.amazon_order_id}.")
    quantity = entry.get("quantity")
    if type(quantity) is not int or quantity < 1:
        raise InvalidInput("Invalid Input", details=f"quantity of order item {item_id} must be a positive integer.")
    return quantity
