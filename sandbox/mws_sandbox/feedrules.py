"""Business rules per MessageType, and applying accepted messages to the catalogue and orders.

Each checker looks at one message's payload and returns ``(results, change)``: the problems it
found, and, when there is no error, the change to apply. Amazon's rules modelled here: a price,
inventory, image, override or relationship update for a SKU the seller does not have is an
error (13013); a product without a title is an error (8560); an order feed naming an unknown
order is an error (18028); an update identical to the last accepted one for that SKU is skipped
with warning 5000. Codes marked "sandbox" are this emulator's choice (no public sample).

Before those, ``content_errors`` applies the checks Amazon makes on values its XSDs accept: a price
of 0 or less (90114), an image URL that is not an absolute http(s) URL with a host (15), a period
(Sale, Rental_n, CompareAt, Previous) that does not end after it starts, a maximum seller-allowed
price below the minimum. Each is an Error result for that message; the rest of the feed goes on.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET  # Element type only; feeds are parsed by defusedxml in feedcheck
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .models.catalogue import Catalogue, Listing
from .models.feeds import FeedDesk, Result
from .models.orders import (
    CANCELED,
    PARTIALLY_SHIPPED,
    PENDING,
    UNSHIPPED,
    Order,
    OrderBook,
    OrderItem,
    cancel_lines,
    confirm_shipment,
)
from .timefmt import parse_iso

CODES = {
    "identical": 5000,  # observed: "skipped, identical to update in feed ..."
    "structure": 5001,  # observed: "XML Parsing Error at Line ..., Column ...: ..."
    "fatal": 6001,  # observed: "XML parsing fatal error at line 1, column 1 ..."
    "missing": 8560,  # observed: "SKU ..., Missing Attributes ..."
    "unknown_sku": 13013,  # observed: SKU does not exist
    "unknown_order": 18028,  # observed: "Your order cannot be found using Merchant ID ..."
    "order_state": 18092,  # sandbox
    "unknown_item": 18093,  # sandbox
    "item_quantity": 18094,  # sandbox
    "below_minimum": 90114,  # sellers' help pages: a value lower than the minimum allowed (price 0)
    "image_url": 15,  # Amazon's "Feeds error messages": "Invalid image URL."
    "period": 99021,  # sandbox
    "price_limits": 99022,  # sandbox
}
IMAGE_TYPES = ("Main", "Swatch", "BKLB", "PT1", "PT2", "PT3", "PT4", "PT5", "PT6", "PT7", "PT8", "Search",
               "PM01", "MainOfferImage", "OfferImage1", "OfferImage2", "OfferImage3", "OfferImage4",
               "OfferImage5", "PFEE", "PFUK", "PFDE", "PFFR", "PFIT", "PFES", "EEGL", "PT98", "PT99", "ELFL")
Change = Callable[[], None]


@dataclass
class FeedContext:
    feed_id: str
    seller_id: str
    merchant: str
    catalogue: Catalogue
    orders: OrderBook
    desk: FeedDesk
    now: float
    marketplace_name: str = "Amazon.com"


@dataclass
class Check:
    message_id: int
    ctx: FeedContext
    payload: ET.Element
    operation: str
    results: list[Result]

    def error(self, key: str, description: str, sku: str | None = None, order_id: str | None = None) -> None:
        self.results.append(Result(self.message_id, "Error", CODES[key], description, sku, order_id))

    def text(self, tag: str) -> str | None:
        value = self.payload.findtext(tag)
        return value.strip() if value is not None and value.strip() else None

    def known_sku(self, sku: str | None) -> Listing | None:
        if sku is None:
            self.error("structure", f"{self.payload.tag}/SKU is required.")
            return None
        listing = self.ctx.catalogue.get(sku)
        if listing is None:
            self.error("unknown_sku", f"The SKU '{sku}' does not exist in your {self.ctx.marketplace_name} "
                       "catalog, so this update was not processed. Create it first with a Product feed "
                       "(_POST_PRODUCT_DATA_).", sku=sku)
        return listing


def apply(message_type: str, message_id: int, message: ET.Element, ctx: FeedContext) -> list[Result]:
    """Check one structurally valid message; apply its change when it has no error."""
    payload = message.find(message_type)
    operation = (message.findtext("OperationType") or "Update").strip()
    check = Check(message_id, ctx, payload, operation, [])
    content_errors(check, message_type)
    change = CHECKERS[message_type](check)
    if any(r.code == "Error" for r in check.results) or change is None:
        return check.results
    if _identical(check, message_type):
        return check.results
    change()
    return check.results


def _identical(check: Check, message_type: str) -> bool:
    """Amazon skips an update identical to the last accepted one for that SKU, with warning 5000."""
    sku = check.text("SKU") or check.text("ParentSKU")
    if sku is None:
        return False
    key = (check.ctx.seller_id, message_type, sku)
    canonical = check.operation + ET.tostring(check.payload, encoding="unicode").strip()
    previous = check.ctx.desk.applied.get(key)
    check.ctx.desk.applied[key] = (canonical, check.ctx.feed_id)
    if previous is None or previous[0] != canonical:
        return False
    check.results.append(Result(check.message_id, "Warning", CODES["identical"],
                                f"The update for Sku '{sku}' was skipped because it is identical to the "
                                f"update in feed '{previous[1]}'.", sku))
    return True


def _decimal(check: Check, tag: str, node: ET.Element | None) -> Decimal | None:
    """The amount in ``node``; one that is not a decimal is a structure error (0 or less: content_errors)."""
    if node is None or node.text is None:
        return None
    try:
        value = Decimal(node.text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value.as_tuple().exponent < -4:
        check.error("structure", f"{tag} '{node.text.strip()}' is not a valid amount (a decimal, at most 4 "
                    "decimal places).", sku=check.text("SKU"))
        return None
    return value


# -- values the XSDs accept and Amazon refuses when it processes the feed -------------------------------

PRICE_TAGS = frozenset({"StandardPrice", "BusinessPrice", "QuantityPrice1", "QuantityPrice2", "QuantityPrice3",
                        "QuantityPrice4", "QuantityPrice5", "MinimumSellerAllowedPrice", "MaximumSellerAllowedPrice",
                        "MAP", "SalePrice", "CompareAtPrice", "Price", "PreviousPrice", "RentalPrice",
                        "CostPerClickBidPrice"})
PRODUCT_PRICES = ("DescriptionData/MSRP", "DescriptionData/MSRPWithTax")
IMAGE_URLS = {"ProductImage": "ImageLocation", "Product": "EnhancedImageURL"}
_AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_HTTP = re.compile(r"https?://([^/?#\s]*)([/?#]\S*)?", re.IGNORECASE)


def content_errors(check: Check, message_type: str) -> None:
    """Amazon's checks on values its XSDs accept, as Error results of this message."""
    if message_type == "Price":
        for element, path in _descendants(check.payload, ""):
            if element.tag in PRICE_TAGS:
                _positive(check, path, element.text)
            if element.tag == "RentalPrice" and element.get("valueWithoutTax") is not None:
                _positive(check, f"{path}/@valueWithoutTax", element.get("valueWithoutTax"))
            if element.find("StartDate") is not None and element.find("EndDate") is not None:
                _period(check, path, element)
        _price_limits(check)
    if message_type == "Product":
        for path in PRODUCT_PRICES:
            for element in check.payload.findall(path):
                _positive(check, path, element.text)
    if message_type in IMAGE_URLS:
        for element in check.payload.findall(IMAGE_URLS[message_type]):
            _image_url(check, IMAGE_URLS[message_type], (element.text or "").strip())


def _descendants(element: ET.Element, path: str) -> Iterator[tuple[ET.Element, str]]:
    """Every element under ``element`` with its path (``Sale/SalePrice``), in document order."""
    for child in element:
        where = f"{path}/{child.tag}" if path else child.tag
        yield child, where
        yield from _descendants(child, where)


def _positive(check: Check, path: str, text: str | None) -> None:
    amount = (text or "").strip()
    if not amount:
        return
    if not _AMOUNT.fullmatch(amount):
        if path.endswith("SellerAllowedPrice"):  # typed as text by the XSD; the decimal ones never get here
            check.error("structure", f"The value '{amount}' for {path} is not a valid price. Enter a number "
                        "greater than 0, such as 9.99, and resubmit the feed.", sku=check.text("SKU"))
        return
    if Decimal(amount) <= 0:
        check.error("below_minimum", f"The value '{amount}' for {path} is lower than the minimum allowed value. "
                    "A price must be greater than 0; correct it and resubmit the feed.", sku=check.text("SKU"))


def _period(check: Check, path: str, element: ET.Element) -> None:
    start_text, end_text = (element.findtext("StartDate") or "").strip(), (element.findtext("EndDate") or "").strip()
    start, end = parse_iso(start_text), parse_iso(end_text)
    if start is not None and end is not None and end <= start:
        check.error("period", f"{path}/EndDate '{end_text}' is not after {path}/StartDate '{start_text}'. Resubmit "
                    "the data with a start date prior to the end date.", sku=check.text("SKU"))


def _price_limits(check: Check) -> None:
    low, high = check.payload.find("MinimumSellerAllowedPrice"), check.payload.find("MaximumSellerAllowedPrice")
    if low is None or high is None or low.get("currency") != high.get("currency"):
        return
    low_text, high_text = (low.text or "").strip(), (high.text or "").strip()
    if _AMOUNT.fullmatch(low_text) and _AMOUNT.fullmatch(high_text) and Decimal(high_text) < Decimal(low_text):
        check.error("price_limits", f"MaximumSellerAllowedPrice '{high_text}' is lower than "
                    f"MinimumSellerAllowedPrice '{low_text}'. The maximum must be at least the minimum.",
                    sku=check.text("SKU"))


def _image_url(check: Check, path: str, url: str) -> None:
    match = _HTTP.fullmatch(url)
    host = re.sub(r":\d*$", "", match.group(1).rpartition("@")[2]) if match else ""
    if not host:
        check.error("image_url", f"Invalid image URL '{url}' in {path}. Submit the full address of the image, "
                    "starting with http:// or https:// and a host name, for example "
                    "http://www.domain.com/directory/image-file.jpg.", sku=check.text("SKU"))


def check_inventory(check: Check) -> Change | None:
    listing = check.known_sku(check.text("SKU"))
    choices = [t for t in ("Available", "Quantity", "Lookup") if check.payload.find(t) is not None]
    if len(choices) != 1:
        check.error("structure", "Inventory needs exactly one of Available, Quantity or Lookup.",
                    sku=check.text("SKU"))
    quantity = check.text("Quantity")
    if quantity is not None and not re.fullmatch(r"\d{1,9}", quantity):
        check.error("structure", f"Quantity '{quantity}' must be a whole number, 0 or more.", sku=check.text("SKU"))
    latency = check.text("FulfillmentLatency")
    if latency is not None and not re.fullmatch(r"[1-9]\d{0,2}", latency):
        check.error("structure", f"FulfillmentLatency '{latency}' must be a positive whole number.",
                    sku=check.text("SKU"))
    if listing is None:
        return None

    def change() -> None:
        if check.operation == "Delete":
            listing.quantity = 0
            return
        if quantity is not None:
            listing.quantity, listing.available = int(quantity), None
        if check.text("Available") is not None:
            listing.available, listing.quantity = check.text("Available") in ("true", "1"), None
        if check.text("Lookup") is not None:
            listing.fulfillment_channel = "AFN"
        if latency is not None:
            listing.fulfillment_latency = int(latency)
        listing.fulfillment_channel = check.text("SwitchFulfillmentTo") or listing.fulfillment_channel
    return change


def check_price(check: Check) -> Change | None:
    listing = check.known_sku(check.text("SKU"))
    standard = check.payload.find("StandardPrice")
    price = _decimal(check, "StandardPrice", standard)
    if standard is not None and not standard.get("currency"):
        check.error("structure", "StandardPrice needs a currency attribute, e.g. currency=\"USD\".",
                    sku=check.text("SKU"))
    sale = _decimal(check, "Sale/SalePrice", check.payload.find("Sale/SalePrice"))
    if listing is None:
        return None

    def change() -> None:
        if price is not None:
            listing.price = price
            currency = standard.get("currency")
            listing.currency = listing.currency if currency in (None, "DEFAULT") else currency
        if sale is not None:
            listing.sale_price = sale
    return change


def check_image(check: Check) -> Change | None:
    listing = check.known_sku(check.text("SKU"))
    image_type, location = check.text("ImageType"), check.text("ImageLocation")
    if image_type not in IMAGE_TYPES:
        check.error("structure", f"ImageType '{image_type}' is not valid; use e.g. Main, Swatch or PT1.",
                    sku=check.text("SKU"))
    if check.operation != "Delete" and location is None:
        check.error("structure", "ImageLocation is required to add an image.", sku=check.text("SKU"))
    if listing is None:
        return None

    def change() -> None:
        if check.operation == "Delete":
            listing.images.pop(image_type, None)
        else:
            listing.images[image_type] = location
    return change


def check_relationship(check: Check) -> Change | None:
    parent = check.text("ParentSKU")
    listing = check.known_sku(parent)
    relations = []
    for relation in check.payload.findall("Relation"):
        sku, kind = (relation.findtext("SKU") or "").strip(), (relation.findtext("Type") or "").strip()
        if not kind:
            check.error("structure", f"Relation for SKU '{sku}' needs a Type (e.g. Variation).", sku=sku or None)
        if sku and sku not in check.ctx.catalogue:
            check.error("unknown_sku", f"The child SKU '{sku}' does not exist in your catalog; create it "
                        "with a Product feed before relating it.", sku=sku)
        relations.append((sku, kind))
    if not relations:
        check.error("structure", "Relationship needs at least one Relation.", sku=parent)
    if listing is None:
        return None

    def change() -> None:
        for sku, kind in relations:
            if check.operation == "Delete":
                listing.children.pop(sku, None)
            else:
                listing.children[sku] = kind
    return change


def check_override(check: Check) -> Change | None:
    listing = check.known_sku(check.text("SKU"))
    if listing is None:
        return None
    count = len(check.payload.findall("ShippingOverride"))

    def change() -> None:
        listing.shipping_overrides = 0 if check.operation == "Delete" else count
    return change


def check_product(check: Check) -> Change | None:
    sku = check.text("SKU")
    if sku is None:
        check.error("structure", "Product/SKU is required.")
        return None
    existing = check.ctx.catalogue.get(sku)
    if check.operation in ("Delete", "PartialUpdate") and existing is None:
        check.known_sku(sku)  # records the unknown-SKU error
        return None
    title = (check.payload.findtext("DescriptionData/Title") or "").strip()
    if check.operation == "Update" and not title:
        check.error("missing", f"SKU {sku}, Missing Attributes title. SKU {sku} does not match any ASIN and "
                    "contains invalid values for attributes required for creation of a new ASIN.", sku=sku)
        return None
    return _product_change(check, sku, title, existing)


def _product_change(check: Check, sku: str, title: str, existing: Listing | None) -> Change:
    id_type = (check.payload.findtext("StandardProductID/Type") or "").strip()
    id_value = (check.payload.findtext("StandardProductID/Value") or "").strip()
    brand = (check.payload.findtext("DescriptionData/Brand") or "").strip() or None

    def change() -> None:
        if check.operation == "Delete":
            check.ctx.catalogue.remove(sku)
            return
        listing = existing or check.ctx.catalogue.add(Listing(sku, "", title, None, "USD", quantity=0))
        listing.title = title or listing.title
        listing.brand = brand or listing.brand
        if id_type == "ASIN" and id_value:
            listing.asin = id_value
        listing.asin = listing.asin or _asin_for(check.ctx.seller_id, sku)
    return change


def _asin_for(seller_id: str, sku: str) -> str:
    """A stable ASIN for a newly created product (same seller and SKU, same ASIN, in every run)."""
    digest = hashlib.sha256(f"{seller_id}/{sku}".encode()).hexdigest().upper()
    return "B0" + digest[:8]


def _order(check: Check) -> Order | None:
    order_id = check.text("AmazonOrderID")
    order = check.ctx.orders.get(check.ctx.seller_id, order_id or "")
    if order is None:
        check.error("unknown_order", f"Your order cannot be found using Merchant ID {check.ctx.merchant} and "
                    f"Merchant Order {order_id}. Enter the correct order ID and then resubmit your feed.",
                    order_id=order_id)
    return order


def check_acknowledgement(check: Check) -> Change | None:
    """Success: the seller's order id (and line ids) recorded, lines with a CancelReason cancelled;
    Failure: the whole order cancelled. Nothing shipped can be cancelled."""
    order = _order(check)
    status = check.text("StatusCode")
    if status not in ("Success", "Failure"):
        check.error("structure", "OrderAcknowledgement/StatusCode must be Success or Failure.",
                    order_id=check.text("AmazonOrderID"))
    if order is None:
        return None
    lines = [(_item(check, order, node), (node.findtext("CancelReason") or "").strip())
             for node in check.payload.findall("Item")]
    cancelled = [item for item, reason in lines if item is not None and (reason or status == "Failure")]
    if status == "Failure" and order.status not in (PENDING, UNSHIPPED):
        _not_cancellable(check, order, f"is {order.status}")
    for item in cancelled if status == "Success" else []:
        if item.shipped:
            _not_cancellable(check, order, f"has shipped {item.shipped} of item {item.order_item_id}")
    merchant_order = check.text("MerchantOrderID")

    def change() -> None:
        if status == "Failure":
            order.move_to(CANCELED, check.ctx.now)
            order.events.append((order.last_update, "Cancelled by the seller (OrderAcknowledgement Failure)"))
        elif cancelled:
            reasons = ", ".join(f"{i.order_item_id} ({r or 'no reason'})" for i, r in lines if i in cancelled)
            cancel_lines(order, [i.order_item_id for i in cancelled], f"Lines cancelled: {reasons}", check.ctx.now)
        if merchant_order and merchant_order != order.seller_order_id:
            order.seller_order_id = merchant_order
            order.touch(check.ctx.now)
    return change


def _not_cancellable(check: Check, order: Order, why: str) -> None:
    check.error("order_state", f"Order {order.amazon_order_id} {why} and cannot be cancelled; only items "
                "that have not shipped can be cancelled.", order_id=order.amazon_order_id)


def _item(check: Check, order: Order, node: ET.Element) -> OrderItem | None:
    code = (node.findtext("AmazonOrderItemCode") or "").strip()
    item = next((i for i in order.items if i.order_item_id == code), None)
    if item is None:
        check.error("unknown_item", f"The order item code {code or '(none)'} does not belong to order "
                    f"{order.amazon_order_id}. Check AmazonOrderItemCode and resubmit the feed.",
                    order_id=order.amazon_order_id)
    return item


def check_fulfillment(check: Check) -> Change | None:
    """Ship the listed lines (none listed: everything still open), recording carrier and tracking."""
    order = _order(check)
    if check.text("FulfillmentDate") is None:
        check.error("structure", "OrderFulfillment/FulfillmentDate is required.", order_id=check.text("AmazonOrderID"))
    if order is not None and order.status not in (UNSHIPPED, PARTIALLY_SHIPPED):
        check.error("order_state", f"Order {order.amazon_order_id} is {order.status} and cannot be confirmed as "
                    "shipped.", order_id=order.amazon_order_id)
    if order is None:
        return None
    lines = _shipped_lines(check, order)
    carrier = check.text("FulfillmentData/CarrierCode") or check.text("FulfillmentData/CarrierName") or "no carrier"
    tracking = check.text("FulfillmentData/ShipperTrackingNumber") or "none"
    method = check.text("FulfillmentData/ShippingMethod")
    shipped = sum(lines.values()) if lines else order.unshipped_count
    note = (f"Shipped {shipped} unit(s) on {check.text('FulfillmentDate')} via {carrier}"
            + (f" {method}" if method else "") + f", tracking {tracking}")
    return lambda: confirm_shipment(order, lines, note, check.ctx.now)


def _shipped_lines(check: Check, order: Order) -> dict[str, int]:
    lines: dict[str, int] = {}
    for node in check.payload.findall("Item"):
        item = _item(check, order, node)
        if item is None:
            continue
        quantity = int((node.findtext("Quantity") or "").strip() or item.open_units)
        lines[item.order_item_id] = lines.get(item.order_item_id, 0) + quantity
        if lines[item.order_item_id] > item.open_units:
            check.error("item_quantity", f"Quantity {lines[item.order_item_id]} for order item "
                        f"{item.order_item_id} is more than the {item.open_units} unit(s) not yet shipped or "
                        "cancelled.", order_id=order.amazon_order_id)
    return lines


def check_adjustment(check: Check) -> Change | None:
    return (lambda: None) if _order(check) is not None else None


CHECKERS: dict[str, Callable[[Check], Change | None]] = {
    "Inventory": check_inventory,
    "Price": check_price,
    "ProductImage": check_image,
    "Relationship": check_relationship,
    "Override": check_override,
    "Product": check_product,
    "OrderAcknowledgement": check_acknowledgement,
    "OrderFulfillment": check_fulfillment,
    "OrderAdjustment": check_adjustment,
}
