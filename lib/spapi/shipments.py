"""Orders v0 confirmShipment: one package of an order confirmed as shipped (204 No Content).

Amazon's body needs every line with its quantity, so "the whole order" (no items in the input) is
read first: getOrder's items, each with its units not yet shipped (``order_reads.order_items``). The
``packageReferenceId`` is derived from the confirmation (``lib.orders.shipments``), so the client's
resend of a confirmation whose answer was lost names the same package.
"""

from __future__ import annotations

from typing import Any

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.orders.shipments import Shipment, package_detail

from .order_reads import order_items


def confirm(client: Any, shipment: Shipment, *, dry_run: bool = False) -> dict:
    """confirmShipment; answers ``{amazonOrderId, packageReferenceId, ..., status: "Confirmed"}``."""
    items = [(code, quantity) for code, quantity in shipment.items if quantity]
    if not items:
        items = open_items(client, shipment.order_id)
    detail = package_detail(shipment, items)
    body = {"marketplaceId": client.credentials.marketplaceId, "packageDetail": detail}
    if not dry_run:
        answer = client.call("confirmShipment", {"orderId": shipment.order_id}, body=body)
    out = {"amazonOrderId": shipment.order_id, **detail, "status": "DryRun" if dry_run else "Confirmed"}
    if not dry_run and answer.request_id:
        out["requestId"] = answer.request_id
    return out


def open_items(client: Any, order_id: str) -> list[tuple[str, int]]:
    """Every line of the order with units not yet shipped; none left is refused before sending."""
    lines = order_items(client, order_id)["orderItems"]
    items = [(str(i.get("orderItemId")), int(i.get("quantityOrdered") or 0) - int(i.get("quantityShipped") or 0))
             for i in lines]
    items = [(code, units) for code, units in items if units > 0]
    if not items:
        raise ConfigurationError(f"order {order_id} has nothing left to ship (every item shipped or cancelled)",
                                 field="amazonOrderId")
    return items
