"""listOrderItems: every item of one order (all NextToken pages) in one message.

Input ``{"amazonOrderId": "058-1233752-8214740"}``; output ``{"amazonOrderId", "orderItems": [...]}``
with items in lowerCamelCase (``orderItemId``, ``asin``, ``sellerSku``, ``quantityOrdered``,
``itemPrice {currencyCode, amount}``, ...), as the product page documents. On SP-API the items come
from Orders 2026-01-01 getOrder, converted into the same output (``lib.spapi.convert``); the field
``includePersonalData`` asks for a restricted data token there (MWS answers without one).
"""

from __future__ import annotations

from mws_component.lib import fields
from mws_component.lib.connection import connect
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.parsing import as_list
from mws_component.lib.orders.convert import item_json
from mws_component.lib.spapi.order_reads import order_items
from mws_component.lib.steps import action


@action
def process(msg, cfg, snapshot, context):
    order_id = fields.order_id(msg.body)
    personal = fields.flag(cfg, "includePersonalData")
    client = connect(cfg)
    if not isinstance(client, MwsClient):
        return order_items(client, order_id, personal_data=personal)
    items = []
    for page in client.pages("ListOrderItems", {"AmazonOrderId": order_id}):
        items += [item_json(i) for i in as_list((page.result.get("OrderItems") or {}).get("OrderItem"))]
    return {"amazonOrderId": order_id, "orderItems": items}
