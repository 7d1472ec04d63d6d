"""getOrder: up to 50 orders by their Amazon order ids, one message per order, as listOrders emits them.

Input ``{"amazonOrderIds": ["058-1233752-8214740", ...]}`` (a list or comma-separated text, at most
50), or ``{"amazonOrderId": "058-1233752-8214740"}`` for one; every id is checked (3-7-7 digits)
before any request, and repeated ids are asked for once. Output: one message per order found, in the
order asked, shaped as ``schemas/list_orders.out.json``. MWS: one GetOrder call
(``AmazonOrderId.Id.N``; quota 6, one more a minute, paced by the client). SP-API: one getOrder call
per id, paced the same way; ``includePersonalData`` asks for buyer and address data there.

Ids Amazon does not know for this seller are named: after the found orders were emitted, the
message fails with an error listing them (an ERP that asks for an order that does not exist has a
problem to see, not to skip).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from eiosdk.message import Message

from mws_component.lib import fields
from mws_component.lib.connection import connect
from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.errors import ConfigurationError, InvalidRequestError
from mws_component.lib.mws.parsing import as_list, text
from mws_component.lib.orders.convert import order_json
from mws_component.lib.spapi.order_reads import order as sp_order
from mws_component.lib.steps import action

MAX_IDS = 50  # GetOrder takes at most 50 AmazonOrderId.Id.N


def order_ids(body: Any) -> list[str]:
    """The ids asked for, checked and without repeats; errors name the input field."""
    body = body if isinstance(body, Mapping) else {}
    listed = fields.as_items(body.get("amazonOrderIds"), "amazonOrderIds", limit=MAX_IDS)
    single = [fields.order_id(body)] if body.get("amazonOrderId") not in (None, "") else []
    if not listed and not single:
        raise ConfigurationError("input field 'amazonOrderIds' is required: map a list of up to 50 Amazon order "
                                 "ids, e.g. [\"058-1233752-8214740\"] (or 'amazonOrderId' for one)",
                                 field="amazonOrderIds")
    for n, value in enumerate(listed):
        fields.order_id({f"amazonOrderIds[{n}]": value}, f"amazonOrderIds[{n}]")
    ids = list(dict.fromkeys(single + listed))
    if len(ids) > MAX_IDS:
        raise ConfigurationError(f"input fields 'amazonOrderId' and 'amazonOrderIds' hold {len(ids)} ids; at most "
                                 f"{MAX_IDS} per message", field="amazonOrderIds")
    return ids


def mws_orders(client: MwsClient, ids: list[str]) -> dict[str, dict]:
    """``{id: order}`` for the ids Amazon knows, from one GetOrder call."""
    result = client.call("GetOrder", {"AmazonOrderId": ids}).result
    found = [order_json(o) for o in as_list((result.get("Orders") or {}).get("Order"))]
    return {text(o.get("amazonOrderId")): o for o in found}


@action
def process(msg, cfg, snapshot, context):
    ids = order_ids(msg.body)
    personal = fields.flag(cfg, "includePersonalData")
    client = connect(cfg)
    if isinstance(client, MwsClient):
        found = mws_orders(client, ids)
    else:
        found = {i: o for i in ids if (o := sp_order(client, i, personal_data=personal)) is not None}
    for order_id in ids:
        if order_id in found:
            context.emit("data", Message(body=found[order_id]))
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise InvalidRequestError(f"{len(unknown)} of {len(ids)} order id(s) are not orders of this seller "
                                  f"(or not in this region): {', '.join(unknown)}; the other "
                                  f"{len(ids) - len(unknown)} were emitted", code="OrderNotFound",
                                  operation="GetOrder")
    return None
