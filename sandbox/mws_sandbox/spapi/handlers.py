"""The SP-API operations the sandbox serves, each a few lines over the shared world.

searchOrders keeps MWS ListOrders' semantics: the first call snapshots the matching ids; each page
(``paginationToken``) renders the orders as they are now, leaving out any that no longer match
(for lastUpdated queries: updated after the bound, so the next sync finds them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import NextTokenCorrupted
from ..models.orders import Order, OrderQuery
from .call import SpAnswer, SpCall
from .errors import InvalidInput, NotFound
from .render import participations_body, restricted_token_body
from .render_orders import View, order_json, search_orders_json
from .restricted import parse_resources
from .searchquery import included_data, search_spec

ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$")
KIND = "searchOrders"
WITHHELD_HEADER = "x-sandbox-withheld"


@dataclass(frozen=True)
class SearchCursor:
    ids: tuple[str, ...]
    offset: int
    size: int
    query: OrderQuery
    bound_name: str
    included: frozenset[str]


def get_marketplace_participations(call: SpCall) -> SpAnswer:
    return SpAnswer(participations_body(call.seller.participations, f"Sandbox Store {call.seller_id}"))


def search_orders(call: SpCall) -> SpAnswer:
    included = included_data(call.query)
    if call.query.one("paginationToken") is not None:
        return _orders_page(call, _redeem(call), included)
    spec = search_spec(call.query, call.seller, call.now)
    ids = tuple(call.backend.orders.snapshot(call.seller_id, spec.query))
    return _orders_page(call, SearchCursor(ids, 0, spec.size, spec.query, spec.bound_name, included), included)


def _redeem(call: SpCall) -> SearchCursor:
    try:
        return call.tokens.redeem(call.query.one("paginationToken"), call.seller_id, KIND)
    except NextTokenCorrupted:
        raise InvalidInput("Invalid paginationToken", details="The token is unknown, expired or another "
                           "seller's; restart the search without paginationToken.") from None


def _orders_page(call: SpCall, cursor: SearchCursor, included: frozenset[str]) -> SpAnswer:
    chunk = cursor.ids[cursor.offset:cursor.offset + cursor.size]
    orders = call.backend.orders.still_matching(call.seller_id, chunk, cursor.query)
    following = replace(cursor, offset=cursor.offset + cursor.size)
    token = call.tokens.issue(call.seller_id, KIND, following) if following.offset < len(cursor.ids) else None
    view = View(included or cursor.included, call.data_elements)
    body = search_orders_json(orders, view, cursor.bound_name, cursor.query.before, token)
    return SpAnswer(body, headers=_withheld(view, orders))


def get_order(call: SpCall) -> SpAnswer:
    order_id = call.args["orderId"]
    if not ORDER_ID.match(order_id):
        raise InvalidInput("Invalid Input", details=f"orderId {order_id} is not an Amazon order id (3-7-7 digits).")
    order = call.backend.orders.get(call.seller_id, order_id)
    if order is None:
        raise NotFound(f"Order {order_id} was not found for this seller.")
    view = View(included_data(call.query), call.data_elements)
    return SpAnswer({"order": order_json(order, view)}, headers=_withheld(view, [order]))


def create_restricted_data_token(call: SpCall) -> SpAnswer:
    grant = call.identity.restricted_token(call.grant, parse_resources(call.body), call.now)
    return SpAnswer(restricted_token_body(grant, call.now))


def _withheld(view: View, orders: list[Order]) -> dict[str, str]:
    """Say which requested personal data the answer leaves out, and which token would bring it."""
    notes = view.withheld(orders)
    return {WITHHELD_HEADER: "; ".join(notes)} if notes else {}
