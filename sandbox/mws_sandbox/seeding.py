"""Deterministic, realistic sandbox data for a seed: accounts, catalogue and orders (mws.md §3.3).

The same seed and clock give the same credentials, SKUs, order ids, buyers and amounts, so a
failing test or benchmark can be replayed. Orders spread over several marketplaces and
currencies, MFN and AFN, every status; Pending ones hide buyer, address and totals; most orders
have one to three items, and every 25th has enough (21+) to need ListOrderItemsByNextToken.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from .locales import BRANDS, IBA, LOCALES, MARKETPLACE_WEIGHTS, PRODUCTS
from .marketplaces import MARKETPLACES
from .models.accounts import Developer, Participation, Seller
from .models.catalogue import Catalogue, Listing
from .models.orders import CANCELED, PARTIALLY_SHIPPED, PENDING, SHIPPED, UNSHIPPED, Address, Order, OrderItem

CENT = Decimal("0.01")
DAY = 86_400
HISTORY_SECONDS = 30 * DAY
ITEMS_PAGE = 20  # ListOrderItems page size in the sandbox
BIG_ORDER_EVERY = 25
# The id README.md uses in its List Order Items examples: the primary seller's first seeded order has
# it (every other draw, and so every other seeded value, is unchanged), so the documented commands
# find a real order in any seeded sandbox.
DOCUMENTED_ORDER_ID = "058-1233752-8214740"
SEEDED_STATUSES = ((SHIPPED, 45), (UNSHIPPED, 20), (PARTIALLY_SHIPPED, 5), (PENDING, 15), (CANCELED, 15))
EU_MARKETPLACES = ("A1PA6795UKMFR9", "A13V1IB3VIYZZH", "APJ6JRA9NG5V4", "A1RKKUPIHCS9HS", "A1F83G8C2ARO7P",
                   "A1805IZSGTT6HS", "A2NODRKZP88ZB9", "A1C3SOZRARQ6R3", "AMEN7PMS3EDWL", "A33AVAJ2PDY3EV")


def _chars(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _upper(rng: random.Random, n: int) -> str:
    return _chars(rng, string.ascii_uppercase + string.digits, n)


def _participation(marketplace_id: str) -> Participation:
    m = MARKETPLACES[marketplace_id]
    return Participation(m.id, m.country, m.domain, m.name, m.currency, m.language)


def make_developer(rng: random.Random) -> Developer:
    """One developer key pair authorised by two sellers: a North American one (the one whose
    credentials ``Sandbox.credentials`` hands out, with orders) and a pan-European one (many
    marketplaces, so its participations need a second page)."""
    developer = Developer("AKIA" + _upper(rng, 16), _chars(rng, string.ascii_letters + string.digits + "+/", 40))
    home = [_participation(m) for m in MARKETPLACE_WEIGHTS] + [Participation(**IBA)]
    europe = [_participation(m) for m in EU_MARKETPLACES] + [Participation(**IBA)]
    for participations in (home, europe):
        seller = Seller("A" + _upper(rng, 13), _auth_token(rng), participations, participations[0].marketplace_id)
        developer.sellers[seller.seller_id] = seller
    return developer


def _auth_token(rng: random.Random) -> str:
    hexes = _chars(rng, "0123456789abcdef", 32)
    return f"amzn.mws.{hexes[:8]}-{hexes[8:12]}-{hexes[12:16]}-{hexes[16:20]}-{hexes[20:]}"


def _ascii_words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [w for w in (re.sub(r"[^A-Za-z0-9&]", "", w).upper() for w in ascii_text.split()) if w]


def _sku(title: str, variant: str) -> str:
    """``CAFE-BUSTELO-ESPRESSO-283G``, ``CERAMIC-COFFEE-MUG-B&W-11OZ``: ASCII, may hold ``&``."""
    return "-".join(_ascii_words(title)[:3] + ["".join(_ascii_words(variant))])


def make_catalogue(rng: random.Random, currency: str = "USD") -> Catalogue:
    catalogue = Catalogue()
    for title, variants in PRODUCTS:
        brand = rng.choice(BRANDS)
        for variant in variants:
            price = Decimal(rng.randrange(499, 8999)) / 100
            catalogue.add(Listing(_sku(title, variant), "B0" + _upper(rng, 8), f"{title}, {variant}", price,
                                  currency, quantity=rng.randrange(0, 250), brand=brand,
                                  fulfillment_channel=rng.choice(("MFN", "MFN", "AFN"))))
    return catalogue


class OrderFactory:
    """Makes orders for one seller; ids are 3-7-7 and never repeat within a sandbox."""

    def __init__(self, rng: random.Random, seller: Seller, catalogue: Catalogue) -> None:
        self.rng = rng
        self.seller = seller
        self.catalogue = catalogue
        self.made = 0
        self._ids: set[str] = set()

    def _order_id(self, prefixes: tuple[str, ...]) -> str:
        while True:
            candidate = f"{self.rng.choice(prefixes)}-{self.rng.randrange(10**7):07d}-{self.rng.randrange(10**7):07d}"
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    def _marketplace(self) -> str:
        ids = [m for m in MARKETPLACE_WEIGHTS if self.seller.participation(m)] or [self.seller.home_marketplace]
        return self.rng.choices(ids, weights=[MARKETPLACE_WEIGHTS.get(m, 1) for m in ids])[0]

    def _item_count(self) -> int:
        if self.made % BIG_ORDER_EVERY == BIG_ORDER_EVERY // 3:
            return self.rng.randrange(ITEMS_PAGE + 1, ITEMS_PAGE + 6)
        return self.rng.choices((1, 2, 3, 5), weights=(60, 20, 12, 8))[0]

    def _money(self, usd: Decimal, locale: dict) -> Decimal:
        return (usd * locale["rate"]).quantize(CENT, ROUND_HALF_UP)

    def _items(self, locale: dict, free_shipping: bool) -> list[OrderItem]:
        listings = self.rng.sample(list(self.catalogue.listings.values()), self._item_count())
        items = []
        for listing in listings:
            quantity = self.rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
            unit = self._money(listing.price or Decimal("9.99"), locale)
            shipping = Decimal("0.00") if free_shipping else self._money(Decimal("4.99"), locale)
            tax = (unit * quantity * locale["tax"]).quantize(CENT, ROUND_HALF_UP)
            promo = self._money(Decimal("2.00"), locale) if self.rng.random() < 0.1 else Decimal("0.00")
            items.append(OrderItem(f"{self.rng.randrange(10**13, 10**14)}", listing.asin, listing.sku,
                                   listing.title, quantity, unit, shipping, tax, promo))
        return items

    def _address(self, locale: dict, name: str, afn: bool) -> Address:
        city, state, postal = self.rng.choice(locale["cities"])
        phone = None if afn else locale["phone"].format(self.rng.randrange(10_000))
        kind = self.rng.choice(("Residential", "Commercial")) if locale["country"] == "US" else None
        return Address(name, self.rng.choice(locale["streets"]), city, state, postal, locale["country"],
                       phone=phone, address_type=kind)

    def make(self, purchase: int, status: str = PENDING) -> Order:
        """A new order purchased at ``purchase``; its status is set but its history is not replayed."""
        marketplace_id = self._marketplace()
        locale = LOCALES[marketplace_id]
        afn = self.rng.random() < 0.35
        prime = afn and self.rng.random() < 0.6
        name = self.rng.choice(locale["names"])
        order = Order(
            self._order_id(locale["prefixes"]), self.seller.seller_id, marketplace_id, locale["currency"],
            locale["channel"], purchase, purchase, PENDING, "AFN" if afn else "MFN",
            self.rng.choice(locale["levels"]), self.rng.choice(("Standard", "Standard", "Expedited", "SecondDay")),
            name, f"{_chars(self.rng, string.ascii_lowercase + string.digits, 15)}@{locale['email']}",
            self._address(locale, name, afn), self._items(locale, prime),
            payment_detail=self.rng.choice(("Standard", "CreditCard")), is_prime=prime,
            is_business=self.rng.random() < 0.1,
        )
        self.made += 1
        if status != PENDING:
            self._settle(order, status, purchase)
        return order

    def _settle(self, order: Order, status: str, purchase: int) -> None:
        if status == PARTIALLY_SHIPPED and sum(i.quantity for i in order.items) < 2:
            status = UNSHIPPED
        order.status = status
        order.revealed = not (status == CANCELED and self.rng.random() < 0.5)
        order.last_update = purchase + self.rng.randrange(600, 3 * DAY)
        if status == SHIPPED:
            for item in order.items:
                item.shipped = item.quantity
        elif status == PARTIALLY_SHIPPED:
            order.items[0].shipped = max(1, order.items[0].quantity - 1)

    def seeded(self, now: float) -> Order:
        """An order from the last 30 days, in a status drawn from a realistic mix; never updated
        later than five minutes ago, so everything seeded is visible to ListOrders at once."""
        latest = int(now) - 300
        purchase = self.rng.randrange(latest - HISTORY_SECONDS, latest - 3 * DAY)
        status = self.rng.choices([s for s, _ in SEEDED_STATUSES], weights=[w for _, w in SEEDED_STATUSES])[0]
        first = self.made == 0
        order = self.make(purchase, status)
        order.last_update = min(order.last_update, latest)
        if first and DOCUMENTED_ORDER_ID not in self._ids:
            self._ids.add(DOCUMENTED_ORDER_ID)
            order.amazon_order_id = DOCUMENTED_ORDER_ID
        return order
