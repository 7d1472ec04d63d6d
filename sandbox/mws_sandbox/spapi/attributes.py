"""SP-API listing attributes over the catalogue's fields, both ways.

``project`` writes what an accepted attribute means into the fields the MWS side shows
(``fulfillment_availability`` -> quantity, latency and channel; ``purchasable_offer`` -> price, sale
price and dates, seller-allowed limits; image locators -> images under MWS's ImageType names;
``child_parent_sku_relationship`` -> the parent's children; ``parentage_level``/``variation_theme``;
``item_name``/``brand`` -> title and brand). ``derived`` reads those fields back as attributes, so a
change made by an MWS feed shows in ``getListingsItem`` too. Plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from ..models.catalogue import Catalogue, Listing

IMAGE_SLOTS = {"main_product_image_locator": "Main", "swatch_product_image_locator": "Swatch",
               **{f"other_product_image_locator_{n}": f"PT{n}" for n in range(1, 9)}}
AMAZON_CHANNELS = "AMAZON_"


def first(values: list | None, marketplace_id: str | None = None) -> dict:
    """The value for ``marketplace_id`` (or one without a marketplace), else the first; {} if none."""
    items = [v for v in values or [] if isinstance(v, dict)]
    for item in items:
        if item.get("marketplace_id") in (None, marketplace_id):
            return item
    return items[0] if items else {}


def _amount(price: list | None) -> Decimal | None:
    schedule = first(first(price).get("schedule"))
    try:
        return Decimal(str(schedule["value_with_tax"])) if "value_with_tax" in schedule else None
    except InvalidOperation:
        return None


def _availability(listing: Listing, values: list | None, catalogue: Catalogue) -> None:
    item = next((v for v in values or [] if v.get("fulfillment_channel_code") == "DEFAULT"), first(values))
    if not item:
        listing.quantity, listing.available = 0, None
        return
    channel = item.get("fulfillment_channel_code", "DEFAULT")
    listing.fulfillment_channel = "AFN" if channel.startswith(AMAZON_CHANNELS) else "MFN"
    if "quantity" in item:
        listing.quantity, listing.available = int(item["quantity"]), None
    elif "is_inventory_available" in item:
        listing.available, listing.quantity = bool(item["is_inventory_available"]), None
    if "lead_time_to_ship_max_days" in item:
        listing.fulfillment_latency = int(item["lead_time_to_ship_max_days"])


def _offer(listing: Listing, values: list | None, catalogue: Catalogue) -> None:
    offer = first(values)
    listing.price = _amount(offer.get("our_price"))
    listing.currency = offer.get("currency", listing.currency)
    listing.sale_price = _amount(offer.get("discounted_price"))
    sale = first(first(offer.get("discounted_price")).get("schedule"))
    listing.sale_start, listing.sale_end = sale.get("start_at"), sale.get("end_at")
    listing.minimum_price = _amount(offer.get("minimum_seller_allowed_price"))
    listing.maximum_price = _amount(offer.get("maximum_seller_allowed_price"))


def _image(slot: str) -> Callable[[Listing, list | None, Catalogue], None]:
    def project(listing: Listing, values: list | None, catalogue: Catalogue) -> None:
        location = first(values).get("media_location")
        if location:
            listing.images[slot] = location
        else:
            listing.images.pop(slot, None)
    return project


def _parent(listing: Listing, values: list | None, catalogue: Catalogue) -> None:
    for other in catalogue.listings.values():
        if other.children.get(listing.sku) is not None and other.sku != first(values).get("parent_sku"):
            other.children.pop(listing.sku)
    parent = catalogue.get(first(values).get("parent_sku", ""))
    if parent is not None:
        parent.children[listing.sku] = first(values).get("child_relationship_type", "variation").title()


def _text(field: str) -> Callable[[Listing, list | None, Catalogue], None]:
    def project(listing: Listing, values: list | None, catalogue: Catalogue) -> None:
        value = first(values).get("value")
        if value is not None or field == "brand":
            setattr(listing, field, value)
    return project


PROJECTIONS: dict[str, Callable[[Listing, list | None, Catalogue], None]] = {
    "item_name": _text("title"),
    "brand": _text("brand"),
    "fulfillment_availability": _availability,
    "purchasable_offer": _offer,
    "child_parent_sku_relationship": _parent,
    "parentage_level": lambda listing, values, _: setattr(listing, "parentage", first(values).get("value")),
    "variation_theme": lambda listing, values, _: setattr(listing, "variation_theme", first(values).get("name")),
    **{name: _image(slot) for name, slot in IMAGE_SLOTS.items()},
}


def project(catalogue: Catalogue, listing: Listing, touched: set[str]) -> None:
    """Write the touched attributes (present or deleted) into the listing's MWS-side fields."""
    for name in sorted(touched):
        if name in PROJECTIONS:
            PROJECTIONS[name](listing, listing.attributes.get(name), catalogue)


def _money(amount: Decimal | None, dated: tuple[str | None, str | None] = (None, None)) -> list:
    entry: dict = {"value_with_tax": float(amount)}
    entry |= {k: v for k, v in zip(("start_at", "end_at"), dated, strict=True) if v}
    return [{"schedule": [entry]}]


def _offer_attribute(listing: Listing, marketplace_id: str) -> list:
    offer: dict = {"currency": listing.currency, "marketplace_id": marketplace_id}
    for name, amount in (("our_price", listing.price), ("minimum_seller_allowed_price", listing.minimum_price),
                         ("maximum_seller_allowed_price", listing.maximum_price)):
        if amount is not None:
            offer[name] = _money(amount)
    if listing.sale_price is not None:
        offer["discounted_price"] = _money(listing.sale_price, (listing.sale_start, listing.sale_end))
    return [offer]


def derived(listing: Listing, catalogue: Catalogue, marketplace_id: str) -> dict[str, list]:
    """The listing as attributes: the stored ones, overridden by what the catalogue's fields say now."""
    attrs = {k: v for k, v in listing.attributes.items()
             if k not in IMAGE_SLOTS and k not in ("child_parent_sku_relationship", "purchasable_offer")}
    attrs["item_name"] = [{"value": listing.title, "marketplace_id": marketplace_id}]
    if listing.brand:
        attrs["brand"] = [{"value": listing.brand, "marketplace_id": marketplace_id}]
    channel = "DEFAULT" if listing.fulfillment_channel == "MFN" else "AMAZON_NA"
    availability: dict = {"fulfillment_channel_code": channel, "quantity": listing.quantity or 0}
    if listing.fulfillment_latency is not None:
        availability["lead_time_to_ship_max_days"] = listing.fulfillment_latency
    attrs["fulfillment_availability"] = [availability]
    if listing.price is not None:
        attrs["purchasable_offer"] = _offer_attribute(listing, marketplace_id)
    slots = {slot: name for name, slot in IMAGE_SLOTS.items()}
    for slot, url in listing.images.items():
        if slot in slots:
            attrs[slots[slot]] = [{"media_location": url, "marketplace_id": marketplace_id}]
    parent = next((p for p in catalogue.listings.values() if listing.sku in p.children), None)
    if parent is not None:
        attrs["child_parent_sku_relationship"] = [{"child_relationship_type": "variation", "parent_sku": parent.sku,
                                                   "marketplace_id": marketplace_id}]
    return attrs
