"""All sandbox state for one seed, built fresh by ``Backend.build`` (and rebuilt on reset).

Like moto's backends: a plain container of the models, keyed the way MWS scopes them (per
seller). Randomness comes from one ``random.Random`` per concern, each seeded from the sandbox
seed, so adding a fault draw never changes which orders get created.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from ..seeding import OrderFactory, make_catalogue, make_developer
from .accounts import Accounts, Developer, Seller
from .catalogue import Catalogue
from .feeds import FeedDesk
from .finances import Ledger
from .orders import Order, OrderBook, cancel, step
from .reports import ReportDesk


def rng_for(seed: int, purpose: str) -> random.Random:
    return random.Random(f"mws-sandbox:{seed}:{purpose}")


@dataclass
class Backend:
    developer: Developer
    accounts: Accounts
    catalogues: dict[str, Catalogue]
    orders: OrderBook
    feeds: FeedDesk
    factories: dict[str, OrderFactory]
    rng: random.Random
    ledger: Ledger = field(default_factory=Ledger)
    reports: ReportDesk = field(default_factory=ReportDesk)

    @classmethod
    def build(cls, seed: int, orders: int, now: float) -> Backend:
        developer = make_developer(rng_for(seed, "accounts"))
        data_rng = rng_for(seed, "data")
        catalogues = {s.seller_id: make_catalogue(data_rng, s.participations[0].currency)
                      for s in developer.sellers.values()}
        factories = {sid: OrderFactory(data_rng, s, catalogues[sid]) for sid, s in developer.sellers.items()}
        backend = cls(developer, Accounts([developer]), catalogues, OrderBook(),
                      FeedDesk(next_id=50_000_000_000 + data_rng.randrange(10**9)), factories, data_rng)
        for _ in range(orders):
            backend.orders.add(factories[backend.primary.seller_id].seeded(now))
        return backend

    @property
    def primary(self) -> Seller:
        """The seller whose credentials the sandbox hands out, and whose orders the scenario API sees."""
        return next(iter(self.developer.sellers.values()))

    def seller(self, index: int) -> Seller:
        return list(self.developer.sellers.values())[index]

    def create_orders(self, count: int, now: float) -> list[str]:
        factory = self.factories[self.primary.seller_id]
        return [self.orders.add(factory.make(int(now))).amazon_order_id for _ in range(count)]

    def update_orders(self, count: int, now: float) -> list[str]:
        return self.orders.advance(self.primary.seller_id, count, now, self.rng)

    def order(self, amazon_order_id: str) -> Order:
        """One of the primary seller's orders, or ValueError naming the id."""
        order = self.orders.get(self.primary.seller_id, amazon_order_id)
        if order is None:
            raise ValueError(f"no order {amazon_order_id!r} for seller {self.primary.seller_id}")
        return order

    def move_order(self, amazon_order_id: str, now: float) -> str:
        return step(self.order(amazon_order_id), now)

    def cancel_order(self, amazon_order_id: str, now: float) -> str:
        return cancel(self.order(amazon_order_id), now)

    def post_finances(self, seller: Seller, now: float) -> Ledger:
        """The ledger brought up to date with the seller's orders and the clock (before any Finances answer)."""
        currency = seller.participations[0].currency
        self.ledger.post(seller.seller_id, currency, self.orders.of_seller(seller.seller_id), now)
        return self.ledger
