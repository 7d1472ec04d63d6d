"""Finances 2015-05-01 responses: ListFinancialEvents(+ByNextToken) in Amazon's shape.

``FinancialEvents`` holds one list per event type, empty ones included as Amazon sends them;
amounts are ``{CurrencyCode, CurrencyAmount}`` with the amount as a plain decimal (``-1.23``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only
from collections.abc import Sequence

from ..models.finances import (
    REFUND,
    SERVICE_FEE,
    SHIPMENT,
    Component,
    FinancialEvent,
    ItemPosting,
    adjustment_item_id,
)
from ..timefmt import iso_z
from .common import envelope, finish, opt, sub

LISTS = (SHIPMENT, REFUND, "GuaranteeClaimEventList", "ChargebackEventList", "PayWithAmazonEventList",
         "ServiceProviderCreditEventList", "RetrochargeEventList", "RentalTransactionEventList",
         "ProductAdsPaymentEventList", SERVICE_FEE, "DebtRecoveryEventList", "LoanServicingEventList",
         "AdjustmentEventList")
# (list of item components, component element, its type element, its amount element), per kind and event list
_ITEM_LISTS = {
    SHIPMENT: {"charge": "ItemChargeList", "fee": "ItemFeeList", "promotion": "PromotionList"},
    REFUND: {"charge": "ItemChargeAdjustmentList", "fee": "ItemFeeAdjustmentList",
             "promotion": "PromotionAdjustmentList"},
}
_COMPONENT = {"charge": ("ChargeComponent", "ChargeType", "ChargeAmount"),
              "fee": ("FeeComponent", "FeeType", "FeeAmount"),
              "promotion": ("Promotion", "PromotionType", "PromotionAmount")}


def _amount(parent: ET.Element, tag: str, currency: str, amount) -> None:
    node = sub(parent, tag)
    sub(node, "CurrencyCode", currency)
    sub(node, "CurrencyAmount", f"{amount:.2f}")


def _component(parent: ET.Element, component: Component, currency: str) -> None:
    tag, type_tag, amount_tag = _COMPONENT[component.kind]
    node = sub(parent, tag)
    sub(node, type_tag, component.type)
    if component.kind == "promotion":
        opt(node, "PromotionId", component.promotion_id)
    _amount(node, amount_tag, currency, component.amount)


def _item(parent: ET.Element, event: FinancialEvent, index: int, posting: ItemPosting) -> None:
    node = sub(parent, "ShipmentItem")
    sub(node, "SellerSKU", posting.sku)
    sub(node, "OrderItemId", posting.order_item_id)
    if event.list_name == REFUND:
        sub(node, "OrderAdjustmentItemId", adjustment_item_id(event.seq, index))
    sub(node, "QuantityShipped", posting.quantity)
    for kind, list_tag in _ITEM_LISTS[event.list_name].items():
        found = [c for c in posting.components if c.kind == kind]
        if found:
            container = sub(node, list_tag)
            for component in found:
                _component(container, component, event.currency)


def _shipment_event(parent: ET.Element, event: FinancialEvent) -> None:
    node = sub(parent, "ShipmentEvent")
    sub(node, "AmazonOrderId", event.amazon_order_id)
    opt(node, "MarketplaceName", event.marketplace_name)
    sub(node, "PostedDate", iso_z(event.posted))
    items = sub(node, "ShipmentItemList" if event.list_name == SHIPMENT else "ShipmentItemAdjustmentList")
    for index, posting in enumerate(event.items):
        _item(items, event, index, posting)


def _service_fee_event(parent: ET.Element, event: FinancialEvent) -> None:
    node = sub(parent, "ServiceFeeEvent")
    opt(node, "AmazonOrderId", event.amazon_order_id)
    opt(node, "FeeReason", event.fee_reason)
    fees = sub(node, "FeeList")
    for fee in event.fees:
        _component(fees, fee, event.currency)
    opt(node, "FeeDescription", event.fee_reason)


def render_financial_events(action: str, namespace: str, request_id: str, events: Sequence[FinancialEvent],
                            next_token: str | None) -> bytes:
    root, result = envelope(action, namespace)
    opt(result, "NextToken", next_token)
    container = sub(result, "FinancialEvents")
    lists = {name: sub(container, name) for name in LISTS}
    for event in events:
        render = _service_fee_event if event.list_name == SERVICE_FEE else _shipment_event
        render(lists[event.list_name], event)
    return finish(root, request_id)
