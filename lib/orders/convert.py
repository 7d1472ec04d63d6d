"""MWS order and order-item dicts (as ``lib.mws.parsing`` reads them) to the JSON users map.

Names follow the one lowerCamelCase rule of ``lib.feeds.naming`` (``AmazonOrderId`` ->
``amazonOrderId``, ``SellerSKU`` -> ``sellerSku``). Known numeric and boolean leaves become numbers
and booleans; money stays ``{"currencyCode", "amount"}`` with the amount as Amazon's exact decimal
string (no float rounding). Wrappers around one repeated element (``PaymentMethodDetails`` /
``PaymentMethodDetail``) become arrays.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from mws_component.lib.feeds.naming import json_name
from mws_component.lib.mws.parsing import REPEATED

INTEGERS = frozenset({
    "NumberOfItemsShipped", "NumberOfItemsUnshipped", "QuantityOrdered", "QuantityShipped", "NumberOfItems",
    "PointsNumber",
})


def _leaf(name: str, value: str) -> Any:
    if name.endswith("Date") and "%" in value:  # Amazon's own samples percent-encode some timestamps
        return unquote(value)
    if name in INTEGERS:
        try:
            return int(value)
        except ValueError:
            return value
    if value in ("true", "false") and (name.startswith(("Is", "is")) or name in ("ShippedByAmazonTFM",
                                                                                 "SerialNumberRequired")):
        return value == "true"
    return value


def to_json(value: Any, name: str = "") -> Any:
    """Convert one parsed element (dict, list, text or None) recursively."""
    if isinstance(value, list):
        return [to_json(v, name) for v in value]
    if isinstance(value, dict):
        children = {k: v for k, v in value.items() if not k.startswith(("@", "#"))}
        if "#text" in value and not children:  # a leaf with attributes: keep the text
            return _leaf(name, value["#text"])  # (stray text between elements, as in a sample, is dropped)
        if len(children) == 1:
            (only, inner), = children.items()
            if only in REPEATED and isinstance(inner, list):
                return [to_json(v, only) for v in inner]
        return {json_name(k): to_json(v, k) for k, v in children.items()}
    if value is None:
        return None
    return _leaf(name, value)


def order_json(order: dict) -> dict:
    return to_json(order, "Order")


def item_json(item: dict) -> dict:
    return to_json(item, "OrderItem")
