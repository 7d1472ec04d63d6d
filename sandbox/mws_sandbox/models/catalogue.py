"""The seller's listings by SKU: what order items are made of and what accepted feeds change.

Feeds are checked against it (an inventory or price update for a SKU that does not exist is an
error, as on Amazon) and accepted messages are applied through the small methods below. SP-API
listings (``spapi.attributes``) write the same fields, plus what only they carry: the product type,
the submitted attributes (the product data), seller-allowed price limits and variation roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Listing:
    sku: str
    asin: str
    title: str
    price: Decimal | None
    currency: str
    quantity: int | None = 0
    available: bool | None = None
    fulfillment_channel: str = "MFN"
    fulfillment_latency: int | None = None
    brand: str | None = None
    sale_price: Decimal | None = None
    images: dict[str, str] = field(default_factory=dict)
    children: dict[str, str] = field(default_factory=dict)
    shipping_overrides: int = 0
    sale_start: str | None = None
    sale_end: str | None = None
    minimum_price: Decimal | None = None
    maximum_price: Decimal | None = None
    parentage: str | None = None
    variation_theme: str | None = None
    product_type: str | None = None
    attributes: dict[str, list] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "sku": self.sku, "asin": self.asin, "title": self.title, "brand": self.brand,
            "price": None if self.price is None else str(self.price), "currency": self.currency,
            "salePrice": None if self.sale_price is None else str(self.sale_price),
            "quantity": self.quantity, "available": self.available,
            "fulfillmentChannel": self.fulfillment_channel, "fulfillmentLatency": self.fulfillment_latency,
            "images": dict(self.images), "children": dict(self.children),
            "shippingOverrides": self.shipping_overrides,
            "saleStart": self.sale_start, "saleEnd": self.sale_end,
            "minimumPrice": _text(self.minimum_price), "maximumPrice": _text(self.maximum_price),
            "parentage": self.parentage, "variationTheme": self.variation_theme,
            "productType": self.product_type, "attributes": dict(self.attributes),
        }


def _text(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)


@dataclass
class Catalogue:
    listings: dict[str, Listing] = field(default_factory=dict)

    def __contains__(self, sku: object) -> bool:
        return sku in self.listings

    def get(self, sku: str) -> Listing | None:
        return self.listings.get(sku)

    def add(self, listing: Listing) -> Listing:
        self.listings[listing.sku] = listing
        return listing

    def remove(self, sku: str) -> None:
        self.listings.pop(sku, None)
        for listing in self.listings.values():
            listing.children.pop(sku, None)

    def as_dict(self) -> dict[str, dict]:
        return {sku: listing.as_dict() for sku, listing in self.listings.items()}
