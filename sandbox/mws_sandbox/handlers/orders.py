"""Orders 2013-09-01: ListOrders(+ByNextToken), GetOrder, ListOrderItems(+ByNextToken).

ListOrders captures its bound and a snapshot of matching ids at the first call; ByNextToken
pages walk that snapshot and render each order as it is now, leaving out any order that no longer
matches the captured query. For LastUpdated queries that means every order updated after the
bound (the next sync, whose After starts at this bound, finds it); for Created queries the
purchase date never moves, so only a changed status (or channel) can drop an order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..call import Answer, Call
from ..errors import InvalidParameterValue
from ..models.orders import OrderQuery
from ..orderquery import list_orders_query
from ..responses.orders import render_get_order, render_order_items, render_orders
from ..seeding import ITEMS_PAGE


@dataclass(frozen=True)
class OrdersCursor:
    ids: tuple[str, ...]
    offset: int
    size: int
    query: OrderQuery
    bound_name: str


@dataclass(frozen=True)
class ItemsCursor:
    order_id: str
    offset: int


def list_orders(call: Call) -> Answer:
    query, bound_name, size = list_orders_query(call.params, call.seller, call.now)
    ids = tuple(call.backend.orders.snapshot(call.seller_id, query))
    return _orders_page(call, OrdersCursor(ids, 0, size, query, bound_name))


def list_orders_by_next_token(call: Call) -> Answer:
    return _orders_page(call, call.tokens.redeem(call.params.required("NextToken"), call.seller_id, "ListOrders"))


def _orders_page(call: Call, cursor: OrdersCursor) -> Answer:
    chunk = cursor.ids[cursor.offset:cursor.offset + cursor.size]
    orders = call.backend.orders.still_matching(call.seller_id, chunk, cursor.query)
    following = replace(cursor, offset=cursor.offset + cursor.size)
    token = call.tokens.issue(call.seller_id, "ListOrders", following) if following.offset < len(cursor.ids) else None
    return Answer(render_orders(call.action, call.namespace, call.request_id, orders, cursor.bound_name,
                                cursor.query.before, token))


def get_order(call: Call) -> Answer:
    ids = call.params.members("AmazonOrderId.Id", limit=50)
    if not ids:
        raise InvalidParameterValue("AmazonOrderId.Id.1 is required (up to 50 order ids).")
    found = [o for o in (call.backend.orders.get(call.seller_id, i) for i in ids) if o is not None]
    return Answer(render_get_order(call.namespace, call.request_id, found))


def list_order_items(call: Call) -> Answer:
    if call.params.starts_list("AmazonOrderId"):
        raise InvalidParameterValue("Start of list found where not expected: AmazonOrderId is a single value, "
                                    "not AmazonOrderId.Id.N.")
    order_id = call.params.required("AmazonOrderId")
    if call.backend.orders.get(call.seller_id, order_id) is None:
        raise InvalidParameterValue(f"Invalid AmazonOrderId: {order_id}")
    return _items_page(call, ItemsCursor(order_id, 0))


def list_order_items_by_next_token(call: Call) -> Answer:
    cursor = call.tokens.redeem(call.params.required("NextToken"), call.seller_id, "ListOrderItems")
    return _items_page(call, cursor)


def _items_page(call: Call, cursor: ItemsCursor) -> Answer:
    order = call.backend.orders.get(call.seller_id, cursor.order_id)
    end = cursor.offset + ITEMS_PAGE
    token = None
    if end < len(order.items):
        token = call.tokens.issue(call.seller_id, "ListOrderItems", ItemsCursor(order.amazon_order_id, end))
    return Answer(render_order_items(call.action, call.namespace, call.request_id, order,
                                     order.items[cursor.offset:end], token))
