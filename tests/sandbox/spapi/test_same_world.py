"""One world, two APIs: MWS ListOrders/ListOrderItems and SP-API searchOrders show the same orders (ids,
mapped statuses, dates on the sandbox clock, channels, amounts, items), before and after orders move on."""

from __future__ import annotations

from decimal import Decimal

from ..conftest import ORDERS
from .conftest import ALL_DATA

STATUS = {"Pending": "PENDING", "Unshipped": "UNSHIPPED", "PartiallyShipped": "PARTIALLY_SHIPPED",
          "Shipped": "SHIPPED", "Canceled": "CANCELLED"}
CHANNEL = {"AFN": "AMAZON", "MFN": "MERCHANT"}


def _retail(sandbox) -> list[str]:
    return [p.marketplace_id for p in sandbox.backend.primary.participations if p.retail]


def mws_orders(raw, sandbox, **bounds) -> dict[str, dict]:
    params = {f"MarketplaceId.Id.{i}": m for i, m in enumerate(_retail(sandbox), 1)} | bounds
    answer = raw.call(ORDERS, "ListOrders", params)
    orders = answer.all("ListOrdersResult/Orders/Order")
    token = answer.text("ListOrdersResult/NextToken")
    while token:
        answer = raw.call(ORDERS, "ListOrdersByNextToken", {"NextToken": token})
        orders += answer.all("ListOrdersByNextTokenResult/Orders/Order")
        token = answer.text("ListOrdersByNextTokenResult/NextToken")
    return {o.findtext("AmazonOrderId"): o for o in orders}


def sp_orders(sp, sandbox, **bounds) -> dict[str, dict]:
    answer = sp.search(marketplaceIds=",".join(_retail(sandbox)), includedData=ALL_DATA, **bounds)
    orders = answer.json["orders"]
    while "pagination" in answer.json:
        answer = sp.search(paginationToken=answer.json["pagination"]["nextToken"])
        orders += answer.json["orders"]
    return {o["orderId"]: o for o in orders}


def _same_order(mws, sp) -> None:
    assert sp["fulfillment"]["fulfillmentStatus"] == STATUS[mws.findtext("OrderStatus")]
    assert (sp["createdTime"], sp["lastUpdatedTime"]) == (mws.findtext("PurchaseDate"), mws.findtext("LastUpdateDate"))
    assert sp["fulfillment"]["fulfilledBy"] == CHANNEL[mws.findtext("FulfillmentChannel")]
    assert sp["salesChannel"]["marketplaceId"] == mws.findtext("MarketplaceId")
    assert sp["salesChannel"]["marketplaceName"] == mws.findtext("SalesChannel")
    shipped = sum(i["fulfillment"]["quantityFulfilled"] for i in sp["orderItems"])
    unshipped = sum(i["fulfillment"]["quantityUnfulfilled"] for i in sp["orderItems"])
    assert (shipped, unshipped) == (int(mws.findtext("NumberOfItemsShipped")),
                                    int(mws.findtext("NumberOfItemsUnshipped")))
    total = mws.find("OrderTotal")
    if total is None:
        assert "proceeds" not in sp
    else:
        assert sp["proceeds"]["grandTotal"] == {"amount": total.findtext("Amount"),
                                                "currencyCode": total.findtext("CurrencyCode")}


def test_search_orders_and_list_orders_show_the_same_orders(raw, sp, sandbox):
    mws = mws_orders(raw, sandbox, CreatedAfter="2023-01-01T00:00:00Z")
    sp_side = sp_orders(sp, sandbox, createdAfter="2023-01-01T00:00:00Z")
    assert len(mws) == 60 and set(sp_side) == set(mws)
    for order_id, order in mws.items():
        _same_order(order, sp_side[order_id])


def _mws_items(raw, order_id: str) -> list:
    answer = raw.call(ORDERS, "ListOrderItems", {"AmazonOrderId": order_id})
    items = answer.all("ListOrderItemsResult/OrderItems/OrderItem")
    token = answer.text("ListOrderItemsResult/NextToken")
    while token:
        answer = raw.call(ORDERS, "ListOrderItemsByNextToken", {"NextToken": token})
        items += answer.all("ListOrderItemsByNextTokenResult/OrderItems/OrderItem")
        token = answer.text("ListOrderItemsByNextTokenResult/NextToken")
    return items


def _same_item(mws, sp) -> None:
    assert (sp["orderItemId"], sp["quantityOrdered"]) == (mws.findtext("OrderItemId"),
                                                          int(mws.findtext("QuantityOrdered")))
    assert (sp["product"]["asin"], sp["product"]["sellerSku"], sp["product"]["title"]) == (
        mws.findtext("ASIN"), mws.findtext("SellerSKU"), mws.findtext("Title"))
    assert sp["fulfillment"]["quantityFulfilled"] == int(mws.findtext("QuantityShipped"))
    if mws.find("ItemPrice") is None:
        assert "price" not in sp["product"] and "proceeds" not in sp
        return
    unit = Decimal(sp["product"]["price"]["unitPrice"]["amount"])
    assert unit * sp["quantityOrdered"] == Decimal(mws.findtext("ItemPrice/Amount"))
    parts = {b["type"]: b["subtotal"]["amount"] for b in sp["proceeds"]["breakdowns"]}
    assert (parts["ITEM"], parts["SHIPPING"], parts["TAX"]) == (
        mws.findtext("ItemPrice/Amount"), mws.findtext("ShippingPrice/Amount"), mws.findtext("ItemTax/Amount"))


def test_get_order_items_match_list_order_items(raw, sp, sandbox, clock):
    big = max(sandbox.backend.orders.of_seller(sandbox.backend.primary.seller_id), key=lambda o: len(o.items))
    order_ids = [o["amazonOrderId"] for o in sandbox.orders_truth()[:12]] + [big.amazon_order_id]
    assert len(big.items) > 20  # needs ListOrderItemsByNextToken on MWS, one getOrder on SP-API
    for order_id in order_ids:
        mws_items = _mws_items(raw, order_id)
        sp_items = sp.order(order_id, includedData="PROCEEDS,FULFILLMENT").json["order"]["orderItems"]
        assert len(sp_items) == len(mws_items)
        for mws_item, sp_item in zip(mws_items, sp_items, strict=True):
            _same_item(mws_item, sp_item)
        clock.advance(4)


def test_updates_show_up_the_same_through_both_apis(raw, sp, sandbox, clock):
    clock.advance(600)
    since = sandbox.now_iso()
    changed = set(sandbox.update_orders(10))
    clock.advance(180)
    mws = mws_orders(raw, sandbox, LastUpdatedAfter=since)
    sp_side = sp_orders(sp, sandbox, lastUpdatedAfter=since)
    assert set(mws) == set(sp_side) == changed
    for order_id, order in mws.items():
        _same_order(order, sp_side[order_id])


def test_filters_select_what_the_mws_filters_select(raw, sp, sandbox, clock):
    created = {"CreatedAfter": "2023-01-01T00:00:00Z"}
    unshipped = mws_orders(raw, sandbox, **created, **{"OrderStatus.Status.1": "Unshipped",
                                                        "OrderStatus.Status.2": "PartiallyShipped"})
    sp_unshipped = sp_orders(sp, sandbox, createdAfter="2023-01-01T00:00:00Z",
                             fulfillmentStatuses="UNSHIPPED,PARTIALLY_SHIPPED")
    assert unshipped and set(sp_unshipped) == set(unshipped)
    clock.advance(60)
    afn = mws_orders(raw, sandbox, **created, **{"FulfillmentChannel.Channel.1": "AFN"})
    assert afn and set(sp_orders(sp, sandbox, createdAfter="2023-01-01T00:00:00Z", fulfilledBy="AMAZON")) == set(afn)


def test_the_echoed_bound_is_two_minutes_before_sandbox_now(sp, sandbox, clock):
    answer = sp.search(lastUpdatedAfter="2023-01-01T00:00:00Z")
    assert answer.json["lastUpdatedBefore"] == "2023-11-14T22:11:20Z"  # START minus 120 s
    assert "createdBefore" not in answer.json
