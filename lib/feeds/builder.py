"""JSON items -> one ``AmazonEnvelope`` feed, validated before a single byte is handed to SubmitFeed.

The envelope is fixed by amzn-envelope.xsd: Header (DocumentVersion, MerchantIdentifier),
MessageType, then one Message per item (MessageID 1..n, OperationType, payload). Each message is
built with lxml's tree API and streamed through ``etree.xmlfile``, so memory stays at the output
bytes plus one message however many items there are. Every item is checked; if anything is wrong
the caller gets all problems at once in a :class:`FeedValidationError` and no feed. "Checked" means
the XSD rules and then the processing rules Amazon applies to XSD-valid values (``processing``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from mws_component.lib.mws.signing import content_md5

from .categories import category_elements, resolve_category
from .content import fill
from .naming import json_name
from .problems import FeedValidationError, Problem, Sink
from .processing import check_processing
from .rules import rules
from .simple import ValueProblem

DOCUMENT_VERSION = "1.01"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OPERATIONS = {"update": "Update", "delete": "Delete", "partialupdate": "PartialUpdate", "upsert": "Update"}


@dataclass(frozen=True)
class Kind:
    """A feed kind: its name here, the payload element (= MessageType) and the SubmitFeed FeedType.

    Every kind's payload starts with the element naming the item (SKU, or ParentSKU for
    relationships), which is what :attr:`Feed.skus` lists.
    """

    name: str
    element: str
    feed_type: str


KINDS = {
    "inventory": Kind("inventory", "Inventory", "_POST_INVENTORY_AVAILABILITY_DATA_"),
    "price": Kind("price", "Price", "_POST_PRODUCT_PRICING_DATA_"),
    "image": Kind("image", "ProductImage", "_POST_PRODUCT_IMAGE_DATA_"),
    "relationship": Kind("relationship", "Relationship", "_POST_PRODUCT_RELATIONSHIP_DATA_"),
    "product": Kind("product", "Product", "_POST_PRODUCT_DATA_"),
    "override": Kind("override", "Override", "_POST_PRODUCT_OVERRIDES_DATA_"),
}
ORDER_KINDS = {  # order feeds (``lib.orders.order_feeds``): payloads start with AmazonOrderID, not a SKU
    "fulfillment": Kind("fulfillment", "OrderFulfillment", "_POST_ORDER_FULFILLMENT_DATA_"),
    "acknowledgement": Kind("acknowledgement", "OrderAcknowledgement", "_POST_ORDER_ACKNOWLEDGEMENT_DATA_"),
}


@dataclass(frozen=True)
class Feed:
    """A built feed, ready for SubmitFeed.

    ``xml``: the exact bytes to send (UTF-8, XML declaration); ``content_md5``: base64 MD5 of those
    bytes (the ContentMD5Value parameter); ``feed_type``: the FeedType parameter; ``content_type``:
    the Content-Type header; ``skus``: the SKU (ParentSKU for relationships) of message n at index
    n-1, to match processing-report results by ``messageId``.
    """

    xml: bytes = field(repr=False)
    feed_type: str
    message_type: str
    message_count: int
    content_md5: str
    skus: list[str] = field(repr=False)
    kind: str = ""
    operation: str = "Update"
    content_type: str = "text/xml; charset=UTF-8"


def feed_kind(kind: str) -> Kind:
    """The :class:`Kind` for ``inventory``/``price``/... or a MessageType such as ``ProductImage``."""
    wanted = str(kind).strip().lower()
    for spec in (*KINDS.values(), *ORDER_KINDS.values()):
        if wanted in (spec.name, spec.element.lower(), spec.feed_type.lower()):
            return spec
    raise FeedValidationError(
        [Problem(None, "kind", "unknownKind", f"unknown feed kind {kind!r}; use one of: {', '.join(KINDS)}")],
        what="feed settings",
    )


def build_feed(
    kind: str,
    items: list[dict] | dict,
    *,
    merchant_id: str,
    operation: str = "Update",
    category: str | None = None,
) -> Feed:
    """Validate ``items`` and build the feed; raise :class:`FeedValidationError` listing every problem.

    ``operation`` is Update, Delete or PartialUpdate (Upsert is taken as Update). ``category`` (product
    feeds only) is a display name such as ``"Camera & Photo"`` or a ProductData element; with it, an
    item's ``productData`` may hold only that category.
    """
    try:
        spec = feed_kind(kind)
    except FeedValidationError as error:
        raise FeedValidationError(error.problems, what=error.what, nothing_sent=True) from None
    settings = Sink()
    op = _operation(operation, settings)
    merchant = _merchant(merchant_id, settings)
    allowed = _allowed_categories(spec, category, settings)
    batch = _items(items, settings)
    if settings.problems:
        raise FeedValidationError(settings.problems, what="feed settings", nothing_sent=True)
    sink = Sink()
    buffer = io.BytesIO()
    skus = _write(buffer, spec, batch, merchant, op, allowed, sink)
    if sink.problems:
        raise FeedValidationError(sink.problems, what=f"{spec.name} items", nothing_sent=True)
    xml = buffer.getvalue()
    return Feed(xml, spec.feed_type, spec.element, len(batch), content_md5(xml), skus, spec.name, op)


def _write(out: io.BytesIO, spec: Kind, batch: list, merchant: str, op: str, allowed, sink: Sink) -> list[str]:
    root_rule = rules().root(spec.element)
    skus: list[str] = []
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("AmazonEnvelope", {f"{{{XSI}}}noNamespaceSchemaLocation": "amzn-envelope.xsd"}, nsmap={"xsi": XSI}):
            xf.write("\n", _header(merchant), "\n", _text_element("MessageType", spec.element), "\n")
            for index, item in enumerate(batch):
                message = _message(index, item, spec, root_rule, op, allowed, sink)
                if message is not None and not sink.problems:
                    xf.write(message, "\n")
                    payload = message[2]
                    skus.append(payload[0].text if len(payload) else "")
    return skus


def _message(index: int, item: object, spec: Kind, rule, op: str, allowed, sink: Sink) -> etree._Element | None:
    sink.index = index
    path = f"items[{index}]"
    if type(item) is not dict and not isinstance(item, Mapping):
        sink.add(path, "type", f"expected an object with the {spec.element} fields, got {type(item).__name__}")
        return None
    message = etree.Element("Message")
    etree.SubElement(message, "MessageID").text = str(index + 1)
    etree.SubElement(message, "OperationType").text = op
    payload = etree.SubElement(message, spec.element)
    fill(rule, item, payload, path, sink)
    check_processing(spec.element, rule, payload, path, sink)
    if allowed is not None:
        _check_category(item, allowed, path, sink)
    return message


def _header(merchant: str) -> etree._Element:
    header = etree.Element("Header")
    etree.SubElement(header, "DocumentVersion").text = DOCUMENT_VERSION
    etree.SubElement(header, "MerchantIdentifier").text = merchant
    return header


def _text_element(tag: str, text: str) -> etree._Element:
    element = etree.Element(tag)
    element.text = text
    return element


def _operation(operation: str, sink: Sink) -> str:
    op = OPERATIONS.get(str(operation).strip().lower())
    if op is None:
        sink.add("operation", "enumeration", f"unknown operation {operation!r}; use Update, Delete or PartialUpdate")
    return op or "Update"


def _merchant(merchant_id: str, sink: Sink) -> str:
    rule = rules().root("Header").fields["merchantIdentifier"].rule
    if merchant_id is None:
        merchant_id = ""
    try:
        text = rule.text(merchant_id)  # type: ignore[union-attr]
    except ValueProblem as problem:
        sink.add("merchantId", problem.rule, f"{problem.message} (the seller id from the credentials)")
        return ""
    if not text:
        sink.add("merchantId", "required", "required: the seller id (Merchant ID) the feed is sent for")
    return text


def _items(items: object, sink: Sink) -> list:
    if isinstance(items, Mapping):
        return [dict(items)]
    if isinstance(items, list | tuple):
        if not items:
            sink.add("items", "minOccurs", "no items; give one item or an array of items")
        return list(items)
    sink.add("items", "type", f"expected an item (object) or an array of items, got {type(items).__name__}")
    return []


def _allowed_categories(spec: Kind, category: str | None, sink: Sink) -> tuple[str, set[str]] | None:
    if category is None or str(category).strip() == "":
        return None
    if spec.name != "product":
        sink.add("category", "category", f"only product feeds take a category, not {spec.name} feeds")
        return None
    try:
        label, elements = resolve_category(category)
    except FeedValidationError as error:
        sink.problems.extend(error.problems)
        return None
    return label, {json_name(e) for e in elements}


@cache
def _category_keys() -> frozenset[str]:
    return frozenset(json_name(e) for e in category_elements())


def _check_category(item: dict, allowed: tuple[str, set[str]], path: str, sink: Sink) -> None:
    label, keys = allowed
    data = item.get("productData")
    if not isinstance(data, Mapping):
        return
    known = _category_keys()
    for key, value in data.items():
        if value is not None and key in known and key not in keys:
            sink.add(
                f"{path}.productData.{key}",
                "category",
                f"the feed's category is '{label}', so productData may hold only {', '.join(sorted(keys))}",
            )
