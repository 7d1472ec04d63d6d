"""JSON items -> one ``AmazonEnvelope`` feed, validated before a single byte is handed to SubmitFeed.

The envelope is fixed by amzn-envelope.xsd: Header (DocumentVersion, MerchantIdentifier),
MessageType, then one Message per item (MessageID 1..n, OperationType, payload). Each message is
checked and written as escaped text in one pass (``content``), and the text goes in batches to a
temporary spool that hashes it (``output``), so memory stays at one batch of messages however many
items there are, and ``items`` may be a generator that is never held whole. Every item is checked;
if anything is wrong the caller gets all problems at once in a :class:`FeedValidationError` and no
feed. "Checked" means the XSD rules and then the processing rules Amazon applies to XSD-valid values
(``processing``, which reads the payload as lxml elements: only message types it has rules for pay
for parsing them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from lxml import etree

from .categories import category_elements, resolve_category
from .content import children, escape_text
from .naming import json_name
from .output import Feed, Skus, Spool
from .problems import FeedValidationError, Problem, Sink
from .processing import TREES, check_processing
from .rules import ComplexRule, rules
from .simple import ValueProblem

DOCUMENT_VERSION = "1.01"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# The envelope's start, as lxml's ``xmlfile`` wrote it (the golden files pin every byte).
DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
ENVELOPE = (f'<AmazonEnvelope xmlns:xsi="{XSI}" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">\n'
            "<Header><DocumentVersion>{version}</DocumentVersion><MerchantIdentifier>{merchant}</MerchantIdentifier>"
            "</Header>\n<MessageType>{message_type}</MessageType>\n")
BATCH = 512  # messages joined, encoded and spooled at once
NO_ITEMS = "no items; give one item or an array of items"
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
    items: Iterable[Mapping] | Mapping,
    *,
    merchant_id: str,
    operation: str = "Update",
    category: str | None = None,
) -> Feed:
    """Validate ``items`` and build the feed; raise :class:`FeedValidationError` listing every problem.

    ``items``: one item, a list, or any iterable of items (a generator is read once, never held
    whole). ``operation`` is Update, Delete or PartialUpdate (Upsert is taken as Update).
    ``category`` (product feeds only) is a display name such as ``"Camera & Photo"`` or a ProductData
    element; with it, an item's ``productData`` may hold only that category. The feed's bytes live
    in a temporary file until the feed is closed (``with build_feed(...) as feed:``) or collected.
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
    spool = Spool()
    try:
        count, skus = _write(spool, spec, batch, merchant, op, allowed, sink)
        if count == 0:
            settings.add("items", "minOccurs", NO_ITEMS)
            raise FeedValidationError(settings.problems, what="feed settings", nothing_sent=True)
        if sink.problems:
            raise FeedValidationError(sink.problems, what=f"{spec.name} items", nothing_sent=True)
    except BaseException:
        spool.discard()
        raise
    return Feed(spool, feed_type=spec.feed_type, message_type=spec.element, message_count=count, skus=skus,
                kind=spec.name, operation=op)


def _write(spool: Spool, spec: Kind, items: Iterable, merchant: str, op: str, allowed, sink: Sink) -> tuple[int, Skus]:
    """Every message into ``spool`` (only while no item has a problem: then the rest is checked only)."""
    rule = rules().root(spec.element)
    processed = spec.element in TREES
    spool.write((DECLARATION + ENVELOPE.format(version=DOCUMENT_VERSION, merchant=escape_text(merchant),
                                               message_type=spec.element)).encode("utf-8"))
    skus = Skus()
    messages: list[str] = []
    names: list[str] = []
    count = 0
    for index, item in enumerate(items):
        count += 1
        payload, name = _payload(index, item, spec, rule, processed, allowed, sink)
        if sink.problems:
            continue
        messages.append(f"<Message><MessageID>{index + 1}</MessageID><OperationType>{op}</OperationType>"
                        f"{payload}</Message>\n")
        names.append(name)
        if len(messages) == BATCH:
            _flush(spool, messages, skus, names)
    if not sink.problems:
        _flush(spool, messages, skus, names)
        spool.write(b"</AmazonEnvelope>")
    return count, skus


def _flush(spool: Spool, messages: list[str], skus: Skus, names: list[str]) -> None:
    spool.write("".join(messages).encode("utf-8"))
    skus.extend(names)
    messages.clear()
    names.clear()


def _payload(index: int, item: object, spec: Kind, rule: ComplexRule, processed: bool, allowed,
             sink: Sink) -> tuple[str, str]:
    """One item's payload element as text, and its first child's text (its SKU or order id)."""
    sink.index = index
    path = f"items[{index}]"
    if type(item) is not dict and not isinstance(item, Mapping):
        sink.add(path, "type", f"expected an object with the {spec.element} fields, got {type(item).__name__}")
        return "", ""
    out: list[str] = []
    name = children(rule, item, out, path, sink)
    tag = spec.element
    payload = f"<{tag}>{''.join(out)}</{tag}>" if out else f"<{tag}/>"
    if processed:
        check_processing(tag, rule, etree.fromstring(payload), path, sink)
    if allowed is not None:
        _check_category(item, allowed, path, sink)
    return payload, name or ""


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


def _items(items: object, sink: Sink) -> Iterable:
    if isinstance(items, Mapping):
        return [items]
    if isinstance(items, list | tuple):
        if not items:
            sink.add("items", "minOccurs", NO_ITEMS)
        return items
    if isinstance(items, Iterable) and not isinstance(items, str | bytes | bytearray):
        return items  # a generator, say: read once, item by item; emptiness shows at its end
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
