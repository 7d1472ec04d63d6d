"""Finances v0 listFinancialEvents over the same ledger as MWS ListFinancialEvents (financesV0.json).

``GET /finances/v0/financialEvents``: ``PostedAfter`` (inclusive, more than two minutes old),
``PostedBefore`` (exclusive, later than PostedAfter, more than two minutes old; default now minus two
minutes), ``MaxResultsPerPage`` 1-100 (default 100), ``NextToken`` (with the same arguments). The
answer is ``{"payload": {"NextToken"?, "FinancialEvents": {"ShipmentEventList": [...], ...}}}`` with
the MWS element names as JSON keys and every amount ``{"CurrencyCode", "CurrencyAmount": <number>}``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..errors import NextTokenCorrupted
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
from .call import SpAnswer, SpCall
from .errors import InvalidInput

KIND = "listFinancialEvents"
LAG_SECONDS = 120
LISTS = (SHIPMENT, REFUND, "GuaranteeClaimEventList", "ChargebackEventList", SERVICE_FEE, "AdjustmentEventList")
_ITEM_LISTS = {SHIPMENT: ("ItemChargeList", "ItemFeeList", "PromotionList"),
               REFUND: ("ItemChargeAdjustmentList", "ItemFeeAdjustmentList", "PromotionAdjustmentList")}
_NAMES = {"charge": ("ChargeType", "ChargeAmount"), "fee": ("FeeType", "FeeAmount"),
          "promotion": ("PromotionType", "PromotionAmount")}


@dataclass(frozen=True)
class EventsCursor:
    seqs: tuple[int, ...]
    offset: int
    size: int


def list_financial_events(call: SpCall) -> SpAnswer:
    if call.query.one("NextToken") is not None:
        return _page(call, _redeem(call))
    after, latest = call.query.date("PostedAfter"), call.now - LAG_SECONDS
    before = call.query.date("PostedBefore")
    if after is None or after > latest or (before is not None and before > latest):
        raise InvalidInput("Invalid Input", details="PostedAfter is required; PostedAfter and PostedBefore must be "
                           "more than two minutes before the time of the request.")
    before = latest if before is None else before
    if after >= before:
        raise InvalidInput("Invalid Input", details="PostedBefore must be later than PostedAfter.")
    ledger = call.backend.post_finances(call.seller, call.now)
    seqs = tuple(e.seq for e in ledger.between(call.seller_id, after, before))
    return _page(call, EventsCursor(seqs, 0, call.query.integer("MaxResultsPerPage", 1, 100, 100)))


def _redeem(call: SpCall) -> EventsCursor:
    try:
        return call.tokens.redeem(call.query.one("NextToken"), call.seller_id, KIND)
    except NextTokenCorrupted:
        raise InvalidInput("Invalid Input", details="The NextToken is unknown or expired; call again without "
                           "it.") from None


def _page(call: SpCall, cursor: EventsCursor) -> SpAnswer:
    chunk = cursor.seqs[cursor.offset:cursor.offset + cursor.size]
    following = replace(cursor, offset=cursor.offset + cursor.size)
    token = call.tokens.issue(call.seller_id, KIND, following) if following.offset < len(cursor.seqs) else None
    lists: dict[str, list] = {name: [] for name in LISTS}
    for seq in chunk:
        event = call.backend.ledger.events[seq - 1]
        lists[event.list_name].append(_event(event))
    payload = {"FinancialEvents": lists, **({"NextToken": token} if token else {})}
    return SpAnswer({"payload": payload})


def _money(currency: str, amount: Decimal) -> dict:
    return {"CurrencyCode": currency, "CurrencyAmount": float(amount)}  # a JSON number, as Amazon sends


def _component(component: Component, currency: str) -> dict:
    type_key, amount_key = _NAMES[component.kind]
    promotion = {"PromotionId": component.promotion_id} if component.promotion_id else {}
    return {type_key: component.type, **promotion, amount_key: _money(currency, component.amount)}


def _item(event: FinancialEvent, index: int, posting: ItemPosting) -> dict:
    item: dict = {"SellerSKU": posting.sku, "OrderItemId": posting.order_item_id,
                  **({"OrderAdjustmentItemId": adjustment_item_id(event.seq, index)} if event.list_name == REFUND else {}),
                  "QuantityShipped": posting.quantity}
    for kind, name in zip(("charge", "fee", "promotion"), _ITEM_LISTS[event.list_name], strict=True):
        found = [_component(c, event.currency) for c in posting.components if c.kind == kind]
        if found:
            item[name] = found
    return item


def _event(event: FinancialEvent) -> dict:
    if event.list_name == SERVICE_FEE:
        head = {"AmazonOrderId": event.amazon_order_id} if event.amazon_order_id else {}
        return {**head, "FeeReason": event.fee_reason, "FeeDescription": event.fee_reason,
                "FeeList": [_component(c, event.currency) for c in event.fees]}
    items = "ShipmentItemList" if event.list_name == SHIPMENT else "ShipmentItemAdjustmentList"
    return {"AmazonOrderId": event.amazon_order_id, "MarketplaceName": event.marketplace_name,
            "PostedDate": iso_z(event.posted), items: [_item(event, n, p) for n, p in enumerate(event.items)]}
