"""Orders and their items, the ListOrders filter, and the status life cycle.

An order moves Pending -> Unshipped -> (PartiallyShipped) -> Shipped, or to Canceled from Pending
or Unshipped; every move sets LastUpdateDate to sandbox now. A Pending order has no buyer,
address or totals yet (mws.md §3.3): they are generated with the order but only become visible
when it leaves Pending.

``STATUSES`` is every OrderStatus value Amazon's ListOrders accepts, marketplace-specific ones
included: PendingAvailability (Japanese pre-orders) and InvoiceUnconfirmed (China: every item shipped,
the invoice not yet confirmed to Amazon). Asked for elsewhere they simply match nothing. In Amazon.cn
a shipment passes through InvoiceUnconfirmed before Shipped; the seeded sellers do not sell there
(China was a region of its own, with its own developer accounts), so no seeded order has it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from ..timefmt import iso_z

PENDING, UNSHIPPED, PARTIALLY_SHIPPED = "Pending", "Unshipped", "PartiallyShipped"
SHIPPED, CANCELED, INVOICE_UNCONFIRMED = "Shipped", "Canceled", "InvoiceUnconfirmed"
STATUSES = ("PendingAvailability", PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, INVOICE_UNCONFIRMED, CANCELED,
            "Unfulfillable")
OPEN = (PENDING, UNSHIPPED, PARTIALLY_SHIPPED, INVOICE_UNCONFIRMED)
AMAZON_CN = "AAHKV2X7AFYLW"
CANCEL_SHARE = 0.15


@dataclass
class Address:
    name: str
    line1: str
    city: str
    state: str
    postal_code: str
    country: str
    line2: str | None = None
    phone: str | None = None
    address_type: str | None = None


@dataclass
class OrderItem:
    order_item_id: str
    asin: str
    sku: str
    title: str
    quantity: int
    unit_price: Decimal
    shipping: Decimal
    tax: Decimal
    promotion: Decimal = Decimal("0.00")
    shipped: int = 0
    condition: str = "New"
    canceled: int = 0  # units the seller cancelled (an OrderAcknowledgement with a CancelReason)

    @property
    def open_units(self) -> int:
        """Units neither shipped nor cancelled: what a shipment confirmation may still ship."""
        return self.quantity - self.shipped - self.canceled

    @property
    def item_price(self) -> Decimal:
        """Amazon's ItemPrice is the line total: unit price times QuantityOrdered."""
        return self.unit_price * self.quantity

    @property
    def total(self) -> Decimal:
        return self.item_price + self.shipping + self.tax - self.promotion


@dataclass
class Order:
    amazon_order_id: str
    seller_id: str
    marketplace_id: str
    currency: str
    sales_channel: str
    purchase_date: int
    last_update: int
    status: str
    channel: str
    ship_level: str
    ship_category: str
    buyer_name: str
    buyer_email: str
    address: Address
    items: list[OrderItem]
    payment_method: str = "Other"
    payment_detail: str = "Standard"
    order_type: str = "StandardOrder"
    is_prime: bool = False
    is_business: bool = False
    seller_order_id: str | None = None
    revealed: bool = False
    history: list[tuple[int, str]] = field(default_factory=list)  # (when, status), oldest first
    events: list[tuple[int, str]] = field(default_factory=list)  # (when, shipment or cancellation), oldest first
    packages: set[str] = field(default_factory=set)  # SP-API confirmShipment packageReferenceIds seen

    @property
    def total(self) -> Decimal:
        return sum((i.total for i in self.items), Decimal("0.00"))

    @property
    def shipped_count(self) -> int:
        return sum(i.shipped for i in self.items)

    @property
    def unshipped_count(self) -> int:
        if self.status == CANCELED:
            return 0
        return sum(i.open_units for i in self.items)

    def touch(self, now: float) -> None:
        """LastUpdateDate moves to now, and always forward, so every change is visible to a sync."""
        self.last_update = max(int(now), self.last_update + 1)

    def move_to(self, status: str, now: float) -> None:
        self.status = status
        if status != PENDING:
            self.revealed = True
        if status in (SHIPPED, INVOICE_UNCONFIRMED):
            for item in self.items:
                item.shipped = item.quantity - item.canceled
        self.touch(now)
        self.history.append((self.last_update, status))

    def truth(self) -> dict:
        return {"amazonOrderId": self.amazon_order_id, "lastUpdateDate": iso_z(self.last_update),
                "orderStatus": self.status}


def next_status(order: Order, rng: random.Random) -> str:
    """The next step in the life cycle; cancellations happen from Pending and Unshipped."""
    if order.status in (PENDING, UNSHIPPED) and rng.random() < CANCEL_SHARE:
        return CANCELED
    if order.status == PENDING:
        return UNSHIPPED
    if order.status == UNSHIPPED and sum(i.quantity for i in order.items) > 1 and rng.random() < 0.3:
        return PARTIALLY_SHIPPED
    if order.marketplace_id == AMAZON_CN and order.status != INVOICE_UNCONFIRMED:
        return INVOICE_UNCONFIRMED  # shipped; Shipped once the seller confirms the invoice (the next step)
    return SHIPPED


def step(order: Order, now: float) -> str:
    """Move one open order one step on, never to Canceled (a person pressed "move on"); returns its status."""
    if order.status not in OPEN:
        raise ValueError(f"order {order.amazon_order_id} is {order.status}; only open orders "
                         f"({', '.join(OPEN)}) move on")
    order.move_to(UNSHIPPED if order.status == PENDING else _shipped_status(order), now)
    return order.status


def _shipped_status(order: Order) -> str:
    if order.marketplace_id == AMAZON_CN and order.status != INVOICE_UNCONFIRMED:
        return INVOICE_UNCONFIRMED
    return SHIPPED


def cancel(order: Order, now: float) -> str:
    """Cancel an order that has shipped nothing yet (Pending or Unshipped), as a seller or buyer can."""
    if order.status not in (PENDING, UNSHIPPED):
        raise ValueError(f"order {order.amazon_order_id} is {order.status}; only {PENDING} or {UNSHIPPED} "
                         "orders can be cancelled")
    order.move_to(CANCELED, now)
    return order.status


def confirm_shipment(order: Order, lines: dict[str, int], note: str, now: float) -> str:
    """Ship ``lines`` (order item id -> units; empty: every open unit), already checked against what is
    open; the order becomes Shipped when nothing is left open, else PartiallyShipped."""
    for item in order.items:
        item.shipped += lines.get(item.order_item_id, 0) if lines else item.open_units
    left = sum(i.open_units for i in order.items)
    order.move_to(PARTIALLY_SHIPPED if left else SHIPPED, now)
    order.events.append((order.last_update, note))
    return order.status


def cancel_lines(order: Order, item_ids: list[str], note: str, now: float) -> str:
    """Cancel the open units of ``item_ids`` (none of them shipped); nothing left open cancels the order."""
    for item in order.items:
        if item.order_item_id in item_ids:
            item.canceled = item.quantity - item.shipped
    if all(i.open_units == 0 for i in order.items) and order.shipped_count == 0:
        order.move_to(CANCELED, now)
    elif all(i.open_units == 0 for i in order.items):
        order.move_to(SHIPPED, now)
    else:
        order.touch(now)
    order.events.append((order.last_update, note))
    return order.status


def ship_partially(order: Order) -> None:
    """Ship the first unit still waiting, so the order really is partially shipped."""
    for item in order.items:
        if item.shipped < item.quantity:
            item.shipped += 1
            return


@dataclass(frozen=True)
class OrderQuery:
    """ListOrders' filter, already validated: ``by`` is "Created" or "LastUpdated"; bounds inclusive."""

    by: str
    after: float
    before: float
    marketplaces: tuple[str, ...]
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    payment_methods: tuple[str, ...] = ()
    buyer_email: str | None = None
    seller_order_id: str | None = None
    impossible: bool = False

    def date_of(self, order: Order) -> int:
        return order.purchase_date if self.by == "Created" else order.last_update

    def matches(self, order: Order) -> bool:
        checks = (
            not self.impossible,
            self.after <= self.date_of(order) <= self.before,
            order.marketplace_id in self.marketplaces,
            not self.statuses or order.status in self.statuses,
            not self.channels or order.channel in self.channels,
            not self.payment_methods or order.payment_method in self.payment_methods,
            self.buyer_email is None or (order.revealed and order.buyer_email == self.buyer_email),
            self.seller_order_id is None or order.seller_order_id == self.seller_order_id,
        )
        return all(checks)


@dataclass
class OrderBook:
    """All orders, in creation order; ids are unique across sellers, as Amazon's are."""

    orders: dict[str, Order] = field(default_factory=dict)

    def add(self, order: Order) -> Order:
        """Keep ``order``; a new one's history starts Pending at purchase (then its seeded status)."""
        if not order.history:
            order.history.append((order.purchase_date, PENDING))
            if order.status != PENDING:
                order.history.append((order.last_update, order.status))
        self.orders[order.amazon_order_id] = order
        return order

    def get(self, seller_id: str, amazon_order_id: str) -> Order | None:
        order = self.orders.get(amazon_order_id)
        return order if order is not None and order.seller_id == seller_id else None

    def of_seller(self, seller_id: str) -> list[Order]:
        return [o for o in self.orders.values() if o.seller_id == seller_id]

    def snapshot(self, seller_id: str, query: OrderQuery) -> list[str]:
        """Ids matching ``query`` now, sorted by LastUpdateDate then id: what ListOrders pages walk."""
        found = [o for o in self.of_seller(seller_id) if query.matches(o)]
        return [o.amazon_order_id for o in sorted(found, key=lambda o: (o.last_update, o.amazon_order_id))]

    def still_matching(self, seller_id: str, ids: Iterable[str], query: OrderQuery) -> list[Order]:
        """The current state of ``ids``, leaving out orders that no longer match ``query`` (for a
        LastUpdated query: every order updated after its bound)."""
        current = (self.get(seller_id, i) for i in ids)
        return [o for o in current if o is not None and query.matches(o)]

    def advance(self, seller_id: str, count: int, now: float, rng: random.Random) -> list[str]:
        """Move up to ``count`` open orders one step on; returns their ids."""
        open_orders = [o for o in self.of_seller(seller_id) if o.status in OPEN]
        chosen = rng.sample(open_orders, min(count, len(open_orders)))
        for order in chosen:
            status = next_status(order, rng)
            if status == PARTIALLY_SHIPPED:
                ship_partially(order)
            order.move_to(status, now)
        return [o.amazon_order_id for o in chosen]
