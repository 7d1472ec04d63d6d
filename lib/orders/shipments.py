"""confirmShipment's input, checked before anything is sent, in the two forms Amazon takes it.

Input ``{amazonOrderId, carrierCode | carrierName, shippingMethod, trackingNumber, shipDate, items:
[{orderItemId, quantity}]}`` (no items: every unit still open). The carrier code must be one of
Amazon's CarrierCode enumeration (amzn-base.xsd); a carrier it does not list goes in ``carrierName``
(on SP-API with carrierCode ``Other``). ``shipDate`` is ISO 8601 and not in the future by Amazon's
clock (``check_not_future``; the caller asks with the client's ``server_now``).

MWS: ``fulfillment_item`` is the OrderFulfillment message of ``_POST_ORDER_FULFILLMENT_DATA_``.
SP-API: ``package_detail`` is Orders v0 confirmShipment's ``packageDetail``; its
``packageReferenceId`` is derived from the confirmation, so sending the same one again names the
same package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from mws_component.lib import fields
from mws_component.lib.feeds import Feed
from mws_component.lib.mws.errors import ConfigurationError

from . import order_feed

OTHER = "Other"
TEXT_FIELDS = ("carrierCode", "carrierName", "shippingMethod", "trackingNumber")
RENAMES = {"amazonOrderId": "amazonOrderId", "fulfillmentDate": "shipDate",
           "fulfillmentData.carrierCode": "carrierCode", "fulfillmentData.carrierName": "carrierName",
           "fulfillmentData.shippingMethod": "shippingMethod", "fulfillmentData.shipperTrackingNumber": "trackingNumber",
           "fulfillmentData": "carrierCode", "item": "items"}


@dataclass(frozen=True)
class Shipment:
    order_id: str
    carrier_code: str  # "" when only a carrier name was given
    carrier_name: str
    shipping_method: str
    tracking_number: str
    ship_date: datetime
    items: tuple[tuple[str, int | None], ...]  # (order item id, quantity); empty: the whole order

    @property
    def ship_date_text(self) -> str:
        return self.ship_date.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def parse(body: Any) -> Shipment:
    """The checked input; ``ConfigurationError`` naming the first field that is wrong."""
    body = order_feed.body_of(body)
    order_id = fields.order_id(body)
    text = {name: fields.text(body, name, label="input field") for name in TEXT_FIELDS}
    if not text["carrierCode"] and not text["carrierName"]:
        raise ConfigurationError("input field 'carrierCode' is required (one of Amazon's carrier codes such as "
                                 "UPS, USPS, FedEx, DHL), or 'carrierName' for a carrier Amazon does not list",
                                 field="carrierCode")
    if text["carrierCode"] not in ("", OTHER) and text["carrierName"]:
        raise ConfigurationError("give 'carrierCode' or 'carrierName', not both (a carrier name goes with "
                                 f"carrierCode {OTHER} or alone)", field="carrierName")
    if text["carrierCode"] == OTHER and not text["carrierName"]:
        raise ConfigurationError(f"input field 'carrierName' is required when carrierCode is {OTHER}",
                                 field="carrierName")
    if not text["trackingNumber"]:
        raise ConfigurationError("input field 'trackingNumber' is required: the carrier's tracking number",
                                 field="trackingNumber")
    if body.get("shipDate") in (None, ""):
        raise ConfigurationError(f"input field 'shipDate' is required: {fields.ISO_HELP}", field="shipDate")
    ship_date = fields.timestamp(body["shipDate"], "shipDate")
    return Shipment(order_id, text["carrierCode"], text["carrierName"], text["shippingMethod"],
                    text["trackingNumber"], ship_date, _items(body))


def _items(body: Mapping[str, Any]) -> tuple[tuple[str, int | None], ...]:
    lines = order_feed.lines(body)
    codes = [order_feed.item_code(line, "orderItemId", f"items[{n}].orderItemId") for n, line in enumerate(lines)]
    order_feed.unique(codes, "items")
    quantities = []
    for n, line in enumerate(lines):
        quantity = order_feed.positive(line, "quantity", f"items[{n}].quantity")
        if quantity is None:
            raise ConfigurationError(f"input field 'items[{n}].quantity' is required: the units of this item in the "
                                     "package (a positive whole number)", field=f"items[{n}].quantity")
        quantities.append(quantity)
    return tuple(zip(codes, quantities, strict=True))


def check_not_future(shipment: Shipment, now: datetime) -> None:
    """A ship date after ``now`` (Amazon's clock) is refused, as Amazon refuses it."""
    if shipment.ship_date > now:
        shown = now.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        raise ConfigurationError(f"input field 'shipDate' {shipment.ship_date_text} is in the future (Amazon's clock "
                                 f"says {shown}); confirm a shipment once it has left", field="shipDate")


def fulfillment_item(shipment: Shipment) -> dict:
    """The OrderFulfillment message (lowerCamelCase XSD names) for ``build_feed("fulfillment", ...)``."""
    carrier = ({"carrierName": shipment.carrier_name} if shipment.carrier_name
               else {"carrierCode": shipment.carrier_code})
    data = {**carrier, "shippingMethod": shipment.shipping_method or None,
            "shipperTrackingNumber": shipment.tracking_number}
    items = [{"amazonOrderItemCode": code, "quantity": quantity} for code, quantity in shipment.items]
    return {"amazonOrderId": shipment.order_id, "fulfillmentDate": shipment.ship_date_text,
            "fulfillmentData": data, "item": items or None}


def feed(shipment: Shipment, merchant_id: str) -> Feed:
    """The checked ``_POST_ORDER_FULFILLMENT_DATA_`` feed (carrier codes, lengths: Amazon's XSD rules)."""
    return order_feed.build("fulfillment", fulfillment_item(shipment), merchant_id, RENAMES)


def package_detail(shipment: Shipment, items: list[tuple[str, int]]) -> dict:
    """Orders v0 ``packageDetail`` for ``items`` (every line with its quantity)."""
    detail: dict[str, Any] = {
        "packageReferenceId": package_reference_id(shipment, items),
        "carrierCode": shipment.carrier_code or OTHER, "trackingNumber": shipment.tracking_number,
        "shipDate": shipment.ship_date_text,
        "orderItems": [{"orderItemId": code, "quantity": quantity} for code, quantity in items]}
    if shipment.carrier_name:
        detail["carrierName"] = shipment.carrier_name
    if shipment.shipping_method:
        detail["shippingMethod"] = shipment.shipping_method
    return detail


def package_reference_id(shipment: Shipment, items: list[tuple[str, int]]) -> str:
    """A positive number naming this package of the order, the same for the same confirmation."""
    key = "|".join([shipment.order_id, shipment.tracking_number, *(f"{c}x{q}" for c, q in items)])
    return str(int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:12], 16) % 10**12 + 1)
