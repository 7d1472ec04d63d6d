"""Orders 2013-09-01 responses: Order and OrderItem in schema order (mws.md §3.3).

A Pending order is rendered without BuyerName, BuyerEmail, ShippingAddress and OrderTotal, and
its items without prices and taxes, as Amazon did; ship and delivery windows only for MFN.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only
from collections.abc import Sequence
from decimal import Decimal

from ..models.orders import Address, Order, OrderItem
from ..timefmt import iso_ms, iso_z
from .common import envelope, finish, money, opt, sub

DAY = 86_400
ZERO = Decimal("0.00")


def _address(parent: ET.Element, address: Address) -> None:
    node = sub(parent, "ShippingAddress")
    sub(node, "Name", address.name)
    sub(node, "AddressLine1", address.line1)
    opt(node, "AddressLine2", address.line2)
    sub(node, "City", address.city)
    sub(node, "StateOrRegion", address.state)
    sub(node, "PostalCode", address.postal_code)
    sub(node, "CountryCode", address.country)
    opt(node, "Phone", address.phone)
    opt(node, "AddressType", address.address_type)


def _head(node: ET.Element, order: Order) -> None:
    sub(node, "AmazonOrderId", order.amazon_order_id)
    opt(node, "SellerOrderId", order.seller_order_id)
    sub(node, "PurchaseDate", iso_z(order.purchase_date))
    sub(node, "LastUpdateDate", iso_z(order.last_update))
    sub(node, "OrderStatus", order.status)
    sub(node, "FulfillmentChannel", order.channel)
    sub(node, "SalesChannel", order.sales_channel)
    sub(node, "ShipServiceLevel", order.ship_level)


def _money_and_buyer(node: ET.Element, order: Order) -> None:
    if order.revealed:
        _address(node, order.address)
        money(node, "OrderTotal", order.currency, order.total)
    sub(node, "NumberOfItemsShipped", order.shipped_count)
    sub(node, "NumberOfItemsUnshipped", order.unshipped_count)
    sub(node, "PaymentMethod", order.payment_method)
    sub(sub(node, "PaymentMethodDetails"), "PaymentMethodDetail", order.payment_detail)
    sub(node, "MarketplaceId", order.marketplace_id)
    if order.revealed:
        sub(node, "BuyerEmail", order.buyer_email)
        sub(node, "BuyerName", order.buyer_name)


def _tail(node: ET.Element, order: Order) -> None:
    sub(node, "ShipmentServiceLevelCategory", order.ship_category)
    sub(node, "OrderType", order.order_type)
    if order.channel == "MFN":
        sub(node, "EarliestShipDate", iso_z(order.purchase_date + DAY))
        sub(node, "LatestShipDate", iso_z(order.purchase_date + 3 * DAY))
        sub(node, "EarliestDeliveryDate", iso_z(order.purchase_date + 5 * DAY))
        sub(node, "LatestDeliveryDate", iso_z(order.purchase_date + 9 * DAY))
    sub(node, "IsBusinessOrder", order.is_business)
    sub(node, "IsPrime", order.is_prime)
    sub(node, "IsPremiumOrder", False)
    sub(node, "IsGlobalExpressEnabled", False)
    sub(node, "IsReplacementOrder", False)
    sub(node, "IsSoldByAB", False)


def order_element(parent: ET.Element, order: Order) -> None:
    node = sub(parent, "Order")
    _head(node, order)
    _money_and_buyer(node, order)
    _tail(node, order)


def render_orders(action: str, namespace: str, request_id: str, orders: Sequence[Order],
                  bound_name: str, bound: float, next_token: str | None) -> bytes:
    """ListOrders / ListOrdersByNextToken: NextToken, the echoed bound, then Orders (schema order)."""
    root, result = envelope(action, namespace)
    opt(result, "NextToken", next_token)
    sub(result, bound_name, iso_ms(bound))
    container = sub(result, "Orders")
    for order in orders:
        order_element(container, order)
    return finish(root, request_id)


def render_get_order(namespace: str, request_id: str, orders: Sequence[Order]) -> bytes:
    root, result = envelope("GetOrder", namespace)
    container = sub(result, "Orders")
    for order in orders:
        order_element(container, order)
    return finish(root, request_id)


def _item(parent: ET.Element, order: Order, item: OrderItem) -> None:
    node = sub(parent, "OrderItem")
    sub(node, "ASIN", item.asin)
    sub(node, "SellerSKU", item.sku)
    sub(node, "OrderItemId", item.order_item_id)
    sub(node, "Title", item.title)
    sub(node, "QuantityOrdered", item.quantity)
    sub(node, "QuantityShipped", item.shipped)
    sub(sub(node, "ProductInfo"), "NumberOfItems", 1)
    if order.revealed:
        money(node, "ItemPrice", order.currency, item.item_price)
        money(node, "ShippingPrice", order.currency, item.shipping)
        money(node, "ItemTax", order.currency, item.tax)
        money(node, "ShippingTax", order.currency, ZERO)
        money(node, "ShippingDiscount", order.currency, ZERO)
        money(node, "PromotionDiscount", order.currency, item.promotion)
    sub(node, "IsGift", False)
    sub(node, "ConditionId", item.condition)
    sub(node, "ConditionSubtypeId", item.condition)
    sub(node, "IsTransparency", False)


def render_order_items(action: str, namespace: str, request_id: str, order: Order,
                       items: Sequence[OrderItem], next_token: str | None) -> bytes:
    root, result = envelope(action, namespace)
    opt(result, "NextToken", next_token)
    sub(result, "AmazonOrderId", order.amazon_order_id)
    container = sub(result, "OrderItems")
    for item in items:
        _item(container, order, item)
    return finish(root, request_id)
