"""One order over SP-API (Orders 2026-01-01 getOrder): its items (listOrderItems) or the order (getOrder).

Kept apart from ``orders`` (the listOrders poll) so a step that reads one order does not import the
windowed walk at start-up. Personal data (buyer name and email, purchase order number, shipping
address, buyer tax info) is withheld unless ``personal_data=True``, which sends a restricted data token.
"""

from __future__ import annotations

from mws_component.lib.mws.errors import InvalidRequestError

from .client import SpApiClient
from .convert import item_json, order_json
from .tokens import RestrictedToken

ORDER_PATH = "/orders/2026-01-01/orders/{orderId}"
LIST_DATA = ("FULFILLMENT", "PROCEEDS", "PAYMENT")  # what list_orders.out.json is made of
ITEM_DATA = ("FULFILLMENT", "PROCEEDS", "EXPENSE", "PROMOTION")  # what list_order_items.out.json is made of
PERSONAL_DATA = ("BUYER", "RECIPIENT", "TAX")  # withheld without a restricted data token
DATA_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")  # what the RDT is asked to cover
WITHHELD = ("buyerName, buyerEmail, purchaseOrderNumber, shippingAddress, isAccessPointOrder and buyerTaxInfo "
            "are withheld (personal data needs a restricted data token)")


def included(base: tuple[str, ...], personal: bool) -> list[str]:
    """The ``includedData`` to ask for: ``base``, and the personal data only with a restricted data token."""
    return [*base, *(PERSONAL_DATA if personal else ())]


def order_items(client: SpApiClient, order_id: str, *, personal_data: bool = False) -> dict:
    """``{"amazonOrderId", "orderItems"}`` as ``list_order_items.out.json``, from getOrder (which carries them)."""
    path = ORDER_PATH.format(orderId=order_id)
    tokens = RestrictedToken(client, "GET", path, DATA_ELEMENTS) if personal_data else None
    data = client.call("getOrder", {"orderId": order_id, "includedData": included(ITEM_DATA, personal_data)},
                       tokens=tokens).data
    order = data.get("order") if isinstance(data.get("order"), dict) else {}
    items = [item_json(i) for i in order.get("orderItems") or [] if isinstance(i, dict)]
    return {"amazonOrderId": order.get("orderId") or order_id, "orderItems": items}


def order(client: SpApiClient, order_id: str, *, personal_data: bool = False) -> dict | None:
    """One order as listOrders emits it (``list_orders.out.json``), from getOrder; None when Amazon has no such
    order for this seller (404)."""
    path = ORDER_PATH.format(orderId=order_id)
    tokens = RestrictedToken(client, "GET", path, DATA_ELEMENTS) if personal_data else None
    try:
        data = client.call("getOrder", {"orderId": order_id, "includedData": included(LIST_DATA, personal_data)},
                           tokens=tokens).data
    except InvalidRequestError as err:
        if err.http_status == 404:
            return None
        raise
    found = data.get("order")
    return order_json(found) if isinstance(found, dict) else None
