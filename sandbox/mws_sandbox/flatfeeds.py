"""Flat-file (tab-separated) feeds: price and quantity updates, answered with Amazon's text report.

Only columns the sandbox can act on are read: ``sku`` (required), ``price`` and ``quantity``.
A row for a SKU the seller does not have is an error (13013), as in XML feeds. The report is the
tab-delimited "Feed Processing Summary" Amazon returned for flat files.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from .models.feeds import FeedReport, FeedSubmission, Result

UNKNOWN_SKU = 13013
BAD_VALUE = 8566  # sandbox


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip('"')
    return "iso-8859-1"


def _rows(feed: FeedSubmission) -> list[dict[str, str]]:
    try:
        text = feed.content.decode(_charset(feed.content_type), errors="replace")
    except LookupError:
        text = feed.content.decode("iso-8859-1")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]


def process(feed: FeedSubmission, ctx) -> FeedReport:
    rows = _rows(feed)
    report = FeedReport("Complete", processed=len(rows), kind="flat")
    for number, row in enumerate(rows, start=1):
        sku = row.get("sku", "")
        listing = ctx.catalogue.get(sku)
        if listing is None:
            report.add(Result(number, "Error", UNKNOWN_SKU, f"The SKU '{sku}' does not exist in your catalog; "
                              "create it first.", sku or None))
            continue
        try:
            price = Decimal(row["price"]) if row.get("price") else None
            quantity = int(row["quantity"]) if row.get("quantity") else None
        except (InvalidOperation, ValueError):
            report.add(Result(number, "Error", BAD_VALUE, "price must be a decimal and quantity a whole number.",
                              sku))
            continue
        listing.price = price if price is not None else listing.price
        listing.quantity = quantity if quantity is not None else listing.quantity
    return report
