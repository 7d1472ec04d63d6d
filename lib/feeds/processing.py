"""Checks Amazon makes when it processes a feed, on values its XSDs accept ("processing rules").

A price of -1.00 or 0, a sale that ends before it starts, an image at ``javascript:alert(1)``: each
passes the XSDs and each comes back as an Error result in the processing report, after the feed
was sent. :data:`RULES` states them as data: the message type, the elements a rule reads (paths
under the payload), a small pure check, and the ResultMessageCode Amazon reports where a public
source gives one. The builder runs them on every message right after the XSD walk, on the
canonical text it has just written; an element whose value already broke an XSD rule carries no
text and is skipped, so one mistake is reported once. Problems read like the XSD ones: the JSON
path, the rule name (one of :data:`NAMES`, which no XSD facet uses) and the fix.

``lib.feeds.validate_message`` (the XSD verdict on XML) does not run these; the sandbox models
them with its own code, in ``mws_sandbox.feedrules``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import urlsplit

from lxml.etree import _Element

from .naming import json_name
from .problems import Sink
from .rules import ComplexRule
from .simple import show

_AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_DATETIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|([+-])(\d\d):(\d\d))?")


@dataclass(frozen=True)
class Finding:
    """What a check found: ``at`` is None for the element read, a child tag, or ``@attribute``."""

    at: str | None
    message: str


Check = Callable[[_Element], Finding | None]


@dataclass(frozen=True)
class ProcessingRule:
    """One check Amazon makes while processing: ``name`` is the problem's rule, ``code`` Amazon's."""

    name: str
    message_type: str
    paths: tuple[str, ...]
    check: Check
    code: int | None = None


# -- the small pure checks ------------------------------------------------------------------------

def price_problem(text: str) -> str | None:
    """An amount must be above 0 (text that is no amount is :func:`amount_problem`'s business)."""
    amount = text.strip()
    if not _AMOUNT.fullmatch(amount) or Decimal(amount) > 0:
        return None
    return f"{amount} is not a valid price; give an amount greater than 0"


def amount_problem(text: str) -> str | None:
    """A price the XSD types as text (the seller-allowed limits): empty, or a decimal number."""
    if text.strip() == "" or _AMOUNT.fullmatch(text.strip()):
        return None
    return f"{show(text)} is not an amount; give a price such as 9.99"


def url_problem(text: str) -> str | None:
    """An image Amazon downloads: an absolute http:// or https:// URL naming a host."""
    try:
        parts = urlsplit(text)
        fine = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        fine = False
    if fine:
        return None
    return (f"{show(text)} is not an image address Amazon can download; give an absolute http:// or https:// "
            "URL with a host, such as https://example.com/image.jpg")


def instant(text: str) -> datetime | None:
    """An xsd:dateTime as an aware datetime (no zone: UTC); None when it is not one.

    Parsed here, not by ``datetime.fromisoformat``, which reads neither ``Z`` nor nanoseconds on 3.10.
    """
    match = _DATETIME.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone, sign, zone_h, zone_m = match.groups()
    offset = timezone.utc
    if zone not in (None, "Z"):
        delta = timedelta(hours=int(zone_h), minutes=int(zone_m))
        offset = timezone(-delta if sign == "-" else delta)
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                        int((fraction or "0")[:6].ljust(6, "0")), tzinfo=offset)
    except ValueError:
        return None


# -- checks over an element ------------------------------------------------------------------------

def on_text(problem: Callable[[str], str | None]) -> Check:
    def check(element: _Element) -> Finding | None:
        message = problem(element.text) if element.text is not None else None
        return Finding(None, message) if message else None
    return check


def on_attribute(name: str, problem: Callable[[str], str | None]) -> Check:
    def check(element: _Element) -> Finding | None:
        value = element.get(name)
        message = problem(value) if value is not None else None
        return Finding(f"@{name}", message) if message else None
    return check


def end_after_start(what: str) -> Check:
    """A period (Sale, Rental_n, CompareAt, Previous) whose EndDate is not after its StartDate."""
    def check(element: _Element) -> Finding | None:
        start_text, end_text = element.findtext("StartDate"), element.findtext("EndDate")
        start = instant(start_text) if start_text else None
        end = instant(end_text) if end_text else None
        if start is None or end is None or end > start:
            return None
        return Finding("EndDate", f"{end_text} is not after the startDate {start_text}; the {what} must end after "
                                  "it starts")
    return check


def maximum_not_below_minimum(element: _Element) -> Finding | None:
    low, high = element.find("MinimumSellerAllowedPrice"), element.find("MaximumSellerAllowedPrice")
    if low is None or high is None or low.get("currency") != high.get("currency"):
        return None
    texts = ((low.text or "").strip(), (high.text or "").strip())
    if not all(_AMOUNT.fullmatch(t) for t in texts) or Decimal(texts[1]) >= Decimal(texts[0]):
        return None
    return Finding("MaximumSellerAllowedPrice", f"{texts[1]} is below the minimumSellerAllowedPrice {texts[0]}; "
                                                "give a maximum at least as high as the minimum")


# -- the table ------------------------------------------------------------------------------------

RENTALS = tuple(f"Rental_{n}" for n in range(10))
PRICES = ("StandardPrice", "BusinessPrice", *(f"QuantityPrice/QuantityPrice{n}" for n in range(1, 6)), "MAP",
          "Sale/SalePrice", "CompareAt/CompareAtPrice", "Previous/Price", "Previous/PreviousPrice",
          *(f"{r}/RentalPrice" for r in RENTALS), "CostPerClickBidPrice")
SELLER_LIMITS = ("MinimumSellerAllowedPrice", "MaximumSellerAllowedPrice")
PRICE_MINIMUM = 90114  # sellers' help pages: "a numeric value lower than the minimum allowed" (price 0)
INVALID_IMAGE_URL = 15  # Amazon's "Feeds error messages": "Error 15 Invalid image URL."

RULES: tuple[ProcessingRule, ...] = (
    ProcessingRule("positivePrice", "Price", PRICES + SELLER_LIMITS, on_text(price_problem), PRICE_MINIMUM),
    ProcessingRule("positivePrice", "Price", tuple(f"{r}/RentalPrice" for r in RENTALS),
                   on_attribute("valueWithoutTax", price_problem), PRICE_MINIMUM),
    ProcessingRule("amount", "Price", SELLER_LIMITS, on_text(amount_problem)),
    ProcessingRule("priceRange", "Price", (".",), maximum_not_below_minimum),
    ProcessingRule("endAfterStart", "Price", ("Sale",), end_after_start("sale")),
    ProcessingRule("endAfterStart", "Price", RENTALS, end_after_start("rental")),
    ProcessingRule("endAfterStart", "Price", ("CompareAt",), end_after_start("compare-at price")),
    ProcessingRule("endAfterStart", "Price", ("Previous",), end_after_start("previous price")),
    ProcessingRule("positivePrice", "Product", ("DescriptionData/MSRP", "DescriptionData/MSRPWithTax"),
                   on_text(price_problem), PRICE_MINIMUM),
    ProcessingRule("imageUrl", "ProductImage", ("ImageLocation",), on_text(url_problem), INVALID_IMAGE_URL),
    ProcessingRule("imageUrl", "Product", ("EnhancedImageURL",), on_text(url_problem), INVALID_IMAGE_URL),
)
NAMES = frozenset(r.name for r in RULES)


class _Node:
    """The table as a tree of element names, so a payload is walked once, only where it has elements."""

    __slots__ = ("rules", "children")

    def __init__(self) -> None:
        self.rules: list[ProcessingRule] = []
        self.children: dict[str, _Node] = {}


def _tree(message_type: str) -> _Node:
    root = _Node()
    for processing in (r for r in RULES if r.message_type == message_type):
        for where in processing.paths:
            node = root
            for step in (s for s in where.split("/") if s != "."):
                node = node.children.setdefault(step, _Node())
            node.rules.append(processing)
    return root


TREES = {kind: _tree(kind) for kind in dict.fromkeys(r.message_type for r in RULES)}


def check_processing(message_type: str, rule: ComplexRule, payload: _Element, path: str, sink: Sink) -> None:
    """Add to ``sink`` what Amazon would refuse in this built payload; ``path`` is the item's JSON path."""
    tree = TREES.get(message_type)
    if tree is not None:
        _visit(tree, payload, payload, rule, path, sink)


def _visit(node: _Node, element: _Element, payload: _Element, rule: ComplexRule, path: str, sink: Sink) -> None:
    for processing in node.rules:
        finding = processing.check(element)
        if finding is not None:
            sink.add(_json_path(path, rule, payload, element, finding.at), processing.name,
                     finding.message + _refusal(processing.code))
    if node.children:
        for child in element:
            below = node.children.get(child.tag)
            if below is not None:
                _visit(below, child, payload, rule, path, sink)


def _refusal(code: int | None) -> str:
    number = f", result code {code}" if code is not None else ""
    return f" (Amazon refuses this when it processes the feed{number})"


def _json_path(path: str, rule: ComplexRule, payload: _Element, element: _Element, at: str | None) -> str:
    """The JSON path of ``element`` (or its child or attribute ``at``) under the payload."""
    chain = []
    node = element.find(at) if at and not at.startswith("@") else element
    while node is not payload:
        chain.append(node)
        node = node.getparent()
    current = rule
    for node in reversed(chain):
        field = current.by_xml[node.tag]
        path += f".{field.key}"
        if field.max != 1:
            path += f"[{[s for s in node.getparent() if s.tag == node.tag].index(node)}]"
        current = field.rule  # type: ignore[assignment]
    if at and at.startswith("@"):
        return f"{path}.{json_name(at[1:])}"
    return f"{path}.value" if isinstance(current, ComplexRule) and current.value is not None else path
