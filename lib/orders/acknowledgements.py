"""acknowledgeOrder's input, checked before anything is sent: one OrderAcknowledgement message.

Input ``{amazonOrderId, merchantOrderId?, statusCode?, cancelReason?, items?: [{amazonOrderItemCode,
merchantOrderItemId?, cancelReason?}]}``:

- acknowledge: ``statusCode`` Success (the default) with the seller's own ``merchantOrderId`` (and
  per line ``merchantOrderItemId``);
- cancel lines: Success with items that carry a ``cancelReason`` (or the top-level ``cancelReason``,
  which every listed item without its own takes);
- cancel the whole order: ``statusCode`` Failure (items, when listed, carry the reason).

``cancelReason`` is one of the XSD's CancelReason enumeration (NoInventory, BuyerCanceled, ...).
The schema Amazon published (release_4_1) has no Item/Quantity, so a line is cancelled whole; a
``quantity`` is refused rather than silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mws_component.lib import fields
from mws_component.lib.feeds import Feed
from mws_component.lib.mws.errors import ConfigurationError

from . import order_feed

STATUS_CODES = ("Success", "Failure")
RENAMES = {"amazonOrderId": "amazonOrderId", "merchantOrderId": "merchantOrderId", "statusCode": "statusCode",
           "item": "items", "cancelReason": "cancelReason"}


def parse(body: Any) -> dict:
    """The OrderAcknowledgement message (lowerCamelCase XSD names); ``ConfigurationError`` naming the field."""
    body = order_feed.body_of(body)
    order_id = fields.order_id(body)
    status = fields.choice(body, "statusCode", STATUS_CODES, label="input field", default="Success")
    default_reason = fields.text(body, "cancelReason", label="input field") or None
    items = _items(body, default_reason)
    if default_reason and not items:
        raise ConfigurationError("input field 'cancelReason' applies to the listed items; list them in 'items' "
                                 "(Amazon's schema carries a reason per item), or set statusCode Failure without "
                                 "a reason to cancel the whole order", field="cancelReason")
    return {"amazonOrderId": order_id, "merchantOrderId": fields.text(body, "merchantOrderId", label="input field")
            or None, "statusCode": status, "item": items or None}


def _items(body: Mapping[str, Any], default_reason: str | None) -> list[dict]:
    lines = order_feed.lines(body)
    out = []
    for n, line in enumerate(lines):
        if line.get("quantity") not in (None, ""):
            raise ConfigurationError(f"input field 'items[{n}].quantity' is not supported: Amazon's "
                                     "OrderAcknowledgement schema has no quantity, so a line is cancelled whole; "
                                     "leave it out", field=f"items[{n}].quantity")
        code = order_feed.item_code(line, "amazonOrderItemCode", f"items[{n}].amazonOrderItemCode")
        merchant_item = order_feed.line_text(line, "merchantOrderItemId", f"items[{n}]") or None
        reason = order_feed.line_text(line, "cancelReason", f"items[{n}]") or default_reason
        out.append({"amazonOrderItemCode": code, "merchantOrderItemId": merchant_item, "cancelReason": reason})
    order_feed.unique([x["amazonOrderItemCode"] for x in out], "items")
    return out


def feed(message: dict, merchant_id: str) -> Feed:
    """The checked ``_POST_ORDER_ACKNOWLEDGEMENT_DATA_`` feed (CancelReason, lengths: Amazon's XSD rules)."""
    return order_feed.build("acknowledgement", message, merchant_id, RENAMES)


def cancels(message: dict) -> bool:
    return message["statusCode"] == "Failure" or any(i.get("cancelReason") for i in message["item"] or [])
