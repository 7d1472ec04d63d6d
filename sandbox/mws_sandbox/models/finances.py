"""Financial events (Finances 2015-05-01) that follow the seller's orders, and the seller's own fees.

The ledger is brought up to date with the orders before every Finances answer (``post``): whatever
changed an order (the scenario API, a feed, seeding), its money shows up the next time anyone looks.

- Units shipped since the last posting: a shipment event per order, per item the charges (Principal,
  Tax, ShippingCharge), the fees (Commission; for AFN FBAPerUnitFulfillmentFee and, when the buyer
  paid shipping, ShippingChargeback) and the promotion, posted at the order's LastUpdateDate.
- Shipped units of an order that is Canceled now: a refund event reversing them (Commission given
  back less a RefundCommission fee), posted at the order's LastUpdateDate.
- Returns: one shipped order in ``RETURN_EVERY`` (chosen by its id) is refunded once, ``RETURN_DELAY``
  seconds after its first shipment was posted, when that moment has come (units shipped later are kept).
- The seller's monthly Subscription fee: a service fee event without an order id every
  ``SUBSCRIPTION_PERIOD`` seconds, the last two periods before the ledger started included.

Amounts of a partial shipment are shares of the line (cumulative rounding, so the parts add up to
the whole exactly). Events are numbered (``seq``) in posting order; ``between`` answers Amazon's
``PostedAfter <= PostedDate < PostedBefore``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .orders import CANCELED, Order, OrderItem

CENT = Decimal("0.01")
COMMISSION = Decimal("0.15")
FBA_FEE = Decimal("0.12")  # of the unit price, per unit
REFUND_COMMISSION = Decimal("0.20")  # of the commission given back
RETURN_EVERY = 8
RETURN_DELAY = 3 * 86_400
SUBSCRIPTION_PERIOD = 30 * 86_400
SUBSCRIPTION_FEE = Decimal("-39.99")
SHIPMENT, REFUND, SERVICE_FEE = "ShipmentEventList", "RefundEventList", "ServiceFeeEventList"


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, ROUND_HALF_UP)


def share(total: Decimal, units: int, quantity: int) -> Decimal:
    """``units`` of ``quantity`` of ``total``, rounded: shares of 1..q units add up to ``total`` exactly."""
    return _round(total * units / quantity) if quantity else Decimal("0.00")


@dataclass(frozen=True)
class Component:
    """One amount: ``kind`` charge, fee or promotion; ``type`` Amazon's ChargeType/FeeType/PromotionType."""

    kind: str
    type: str
    amount: Decimal
    promotion_id: str | None = None


@dataclass(frozen=True)
class ItemPosting:
    order_item_id: str
    sku: str
    quantity: int
    components: tuple[Component, ...]


def adjustment_item_id(event_seq: int, index: int) -> str:
    """A refund line's OrderAdjustmentItemId: unique per event and line."""
    return f"{event_seq:012d}{index:02d}"


@dataclass(frozen=True)
class FinancialEvent:
    seq: int
    list_name: str  # the FinancialEvents list it is rendered in
    seller_id: str
    posted: float
    currency: str
    amazon_order_id: str | None = None
    marketplace_name: str | None = None
    items: tuple[ItemPosting, ...] = ()
    fees: tuple[Component, ...] = ()  # a service fee's FeeList
    fee_reason: str | None = None

    @property
    def total(self) -> Decimal:
        amounts = [c.amount for i in self.items for c in i.components] + [c.amount for c in self.fees]
        return sum(amounts, Decimal("0.00"))


def _shipment_components(order: Order, item: OrderItem, done: int, units: int) -> tuple[Component, ...]:
    def part(total: Decimal) -> Decimal:
        return share(total, done + units, item.quantity) - share(total, done, item.quantity)

    principal, shipping = item.unit_price * units, part(item.shipping)
    found = [Component("charge", "Principal", principal), Component("charge", "Tax", part(item.tax)),
             Component("charge", "ShippingCharge", shipping),
             Component("fee", "Commission", -_round((principal + shipping) * COMMISSION))]
    if order.channel == "AFN":
        found.append(Component("fee", "FBAPerUnitFulfillmentFee", -_round(item.unit_price * FBA_FEE) * units))
        if shipping:
            found.append(Component("fee", "ShippingChargeback", -shipping))
    if item.promotion:
        found.append(Component("promotion", "PromotionMetaDataDefinitionValue", -part(item.promotion),
                               f"PLM-{item.order_item_id[-6:]}"))
    return tuple(found)


def _refund_components(shipped: tuple[Component, ...], units: int, posted_units: int) -> tuple[Component, ...]:
    """The reversal of ``units`` of the ``posted_units`` a shipment posted; fees given back, less 20%."""
    back = [Component(c.kind, c.type, -share(c.amount, units, posted_units), c.promotion_id)
            for c in shipped if c.kind != "fee" or c.type == "Commission"]
    given_back = -sum((c.amount for c in back if c.type == "Commission"), Decimal("0.00"))
    return (*back, Component("fee", "RefundCommission", _round(given_back * REFUND_COMMISSION)))


def _returned(order_id: str) -> bool:
    return int(hashlib.sha256(order_id.encode()).hexdigest(), 16) % RETURN_EVERY == 0


@dataclass
class Ledger:
    """Every posted event, and what of each order line was posted as shipped and as refunded."""

    events: list[FinancialEvent] = field(default_factory=list)
    shipped: dict[tuple[str, str], list[tuple[int, tuple[Component, ...]]]] = field(default_factory=dict)
    refunded: dict[tuple[str, str], int] = field(default_factory=dict)  # shipments (entries) refunded
    shipped_at: dict[str, float] = field(default_factory=dict)
    started: float | None = None
    subscriptions: set[tuple[str, int]] = field(default_factory=set)
    returned: set[str] = field(default_factory=set)  # orders whose return was refunded

    def post(self, seller_id: str, currency: str, orders: Iterable[Order], now: float) -> None:
        """Bring the ledger up to date with ``orders`` (one seller's) and the clock."""
        if self.started is None:
            self.started = now
        for order in orders:
            name = order.sales_channel
            self._post_shipment(order, name)
            if order.status == CANCELED:
                self._post_refund(order, name, order.last_update)
            elif self._return_due(order.amazon_order_id, now):
                self.returned.add(order.amazon_order_id)  # once: units shipped later are kept
                self._post_refund(order, name, self.shipped_at[order.amazon_order_id] + RETURN_DELAY)
        self._post_subscriptions(seller_id, currency, now)

    def _return_due(self, order_id: str, now: float) -> bool:
        shipped = self.shipped_at.get(order_id)
        return (shipped is not None and order_id not in self.returned and _returned(order_id)
                and shipped + RETURN_DELAY <= now)

    def _add(self, **kwargs) -> FinancialEvent:
        event = FinancialEvent(seq=len(self.events) + 1, **kwargs)
        self.events.append(event)
        return event

    def _post_shipment(self, order: Order, name: str | None) -> None:
        postings = []
        for item in order.items:
            key = (order.amazon_order_id, item.order_item_id)
            done = sum(units for units, _ in self.shipped.get(key, []))
            if item.shipped > done:
                parts = _shipment_components(order, item, done, item.shipped - done)
                self.shipped.setdefault(key, []).append((item.shipped - done, parts))
                postings.append(ItemPosting(item.order_item_id, item.sku, item.shipped - done, parts))
        if postings:
            self.shipped_at.setdefault(order.amazon_order_id, float(order.last_update))
            self._add(list_name=SHIPMENT, seller_id=order.seller_id, posted=float(order.last_update),
                      currency=order.currency, amazon_order_id=order.amazon_order_id, marketplace_name=name,
                      items=tuple(postings))

    def _post_refund(self, order: Order, name: str | None, posted: float) -> None:
        postings = []
        for item in order.items:
            key = (order.amazon_order_id, item.order_item_id)
            owed = self.shipped.get(key, [])[self.refunded.get(key, 0):]  # shipments not refunded yet
            if not owed:
                continue
            self.refunded[key] = len(self.shipped[key])
            parts = [c for units, shipped in owed for c in _refund_components(shipped, units, units)]
            postings.append(ItemPosting(item.order_item_id, item.sku, sum(u for u, _ in owed), tuple(parts)))
        if postings:
            self._add(list_name=REFUND, seller_id=order.seller_id, posted=posted, currency=order.currency,
                      amazon_order_id=order.amazon_order_id, marketplace_name=name, items=tuple(postings))

    def _post_subscriptions(self, seller_id: str, currency: str, now: float) -> None:
        first = int((self.started or now) // SUBSCRIPTION_PERIOD) - 1
        for period in range(first, int(now // SUBSCRIPTION_PERIOD) + 1):
            due = float(period * SUBSCRIPTION_PERIOD)
            if (seller_id, period) not in self.subscriptions and due <= now:
                self.subscriptions.add((seller_id, period))
                self._add(list_name=SERVICE_FEE, seller_id=seller_id, posted=due, currency=currency,
                          fees=(Component("fee", "Subscription", SUBSCRIPTION_FEE),), fee_reason="Subscription")

    def between(self, seller_id: str, after: float, before: float) -> list[FinancialEvent]:
        """Events posted in ``[after, before)``, in posting-date order."""
        found = [e for e in self.events if e.seller_id == seller_id and after <= e.posted < before]
        return sorted(found, key=lambda e: (e.posted, e.seq))

    def of_order(self, seller_id: str, amazon_order_id: str) -> list[FinancialEvent]:
        found = [e for e in self.events if e.seller_id == seller_id and e.amazon_order_id == amazon_order_id]
        return sorted(found, key=lambda e: (e.posted, e.seq))

    def truth(self, seller_id: str, before: float | None = None) -> dict:
        """``{"orders": {id: {currency: total}}, "other": [{list, posted, currencyCode, amount}]}`` over the
        events posted before ``before`` (all when None)."""
        orders: dict[str, dict[str, Decimal]] = {}
        other = []
        for event in self.events:
            if event.seller_id != seller_id or (before is not None and event.posted >= before):
                continue
            if event.amazon_order_id is None:
                other.append({"list": event.list_name, "posted": event.posted, "currencyCode": event.currency,
                              "amount": str(event.total)})
                continue
            sums = orders.setdefault(event.amazon_order_id, {})
            sums[event.currency] = sums.get(event.currency, Decimal("0.00")) + event.total
        return {"orders": {i: {c: str(a) for c, a in s.items()} for i, s in orders.items()}, "other": other}
