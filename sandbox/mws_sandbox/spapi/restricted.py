"""Reading a createRestrictedDataToken body (tokens_2021-03-01.json) into ``Resource``s.

``restrictedResources`` is required (1 to 50), each with a method from the model's enum and a
path; ``dataElements`` (buyerInfo, shippingAddress, buyerTaxInformation) is required for the
Orders API's order and order-item paths, as the model says, and accepted elsewhere.
"""

from __future__ import annotations

import json
import re

from .errors import InvalidInput
from .identity import PII_ELEMENTS, Resource

METHODS = ("GET", "PUT", "POST", "DELETE")
MAX_RESOURCES = 50
ORDER_PATH = re.compile(r"^/orders/[^/]+/orders(/[^/]+(/orderItems)?)?/?$")


def _object(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict):
        raise InvalidInput("Request is missing or has invalid parameters",
                           details="The body must be a JSON object with restrictedResources.")
    return data


def _resource(item: object) -> Resource:
    if not isinstance(item, dict) or item.get("method") not in METHODS:
        raise InvalidInput("Request is missing or has invalid parameters",
                           details=f"Each restricted resource needs a method from {', '.join(METHODS)}.")
    path, elements = item.get("path"), item.get("dataElements", [])
    if not isinstance(path, str) or not path.startswith("/"):
        raise InvalidInput("Request is missing or has invalid parameters", details="Resource not provided.")
    if not isinstance(elements, list) or any(e not in PII_ELEMENTS for e in elements):
        raise InvalidInput(f"dataElements must be a list of {', '.join(PII_ELEMENTS)}.")
    if not elements and ORDER_PATH.match(path):
        raise InvalidInput(f"dataElements is required for {path}: name the personal data needed "
                           f"({', '.join(PII_ELEMENTS)}).")
    return Resource(item["method"], path, tuple(elements))


def parse_resources(body: bytes) -> tuple[Resource, ...]:
    items = _object(body).get("restrictedResources")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_RESOURCES:
        raise InvalidInput("Request is missing or has invalid parameters",
                           details=f"restrictedResources must list 1 to {MAX_RESOURCES} resources.")
    return tuple(_resource(item) for item in items)
