"""Reports: the seller's report requests and their lifecycle, and the merchant listings report itself.

A requested report is ``_SUBMITTED_`` for ``START_SECONDS`` of sandbox time, ``_IN_PROGRESS_`` until
``READY_SECONDS``, then ``_DONE_``: the report is taken from the catalogue the first time it is
seen done (so it reflects what feeds changed until then) and kept; an empty catalogue gives
``_DONE_NO_DATA_``. MWS and SP-API share the requests (the SP-API reportId is the request id;
MWS's GetReport takes the generated report id).

The merchant listings report (``_GET_MERCHANT_LISTINGS_ALL_DATA_``) is tab-separated with Amazon's
columns, in the charset Amazon writes for the marketplace: Cp1252 in North America and Europe,
Shift_JIS (Windows-31J) in Japan, UTF-8 elsewhere; characters the charset lacks become ``?``, as in
Amazon's reports. Values that are not in the catalogue (open date, listing id) are derived from the
SKU, so an unchanged listing gives the same row in every report.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal

from ..marketplaces import MARKETPLACES
from .catalogue import Catalogue, Listing

LISTINGS_ALL = "_GET_MERCHANT_LISTINGS_ALL_DATA_"
REPORT_TYPES = (LISTINGS_ALL,)
SUBMITTED, IN_PROGRESS, DONE, DONE_NO_DATA = "_SUBMITTED_", "_IN_PROGRESS_", "_DONE_", "_DONE_NO_DATA_"
START_SECONDS = 5.0
READY_SECONDS = 45.0
COLUMNS = ("item-name", "item-description", "listing-id", "seller-sku", "price", "quantity", "open-date",
           "image-url", "item-is-marketplace", "product-id-type", "zshop-shipping-fee", "item-note",
           "item-condition", "zshop-category1", "zshop-browse-path", "zshop-storefront-feature", "asin1", "asin2",
           "asin3", "will-ship-internationally", "expedited-shipping", "zshop-boldface", "product-id",
           "bid-for-featured-placement", "add-delete", "pending-quantity", "fulfillment-channel",
           "merchant-shipping-group", "status")
_CP1252 = ("US", "CA", "MX", "BR", "GB", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "BE")
# Amazon's names for the charsets (what a MWS GetReport's Content-Type says) and Python's codecs.
CHARSETS = {"JP": ("Windows-31J", "cp932"), **{c: ("Cp1252", "cp1252") for c in _CP1252}}
UTF8 = ("UTF-8", "utf-8")


def charset(marketplace_id: str) -> tuple[str, str]:
    """``(Amazon's name, Python codec)`` of the marketplace's report charset."""
    m = MARKETPLACES.get(marketplace_id)
    return CHARSETS.get(m.country, UTF8) if m else UTF8


def _derived(sku: str) -> int:
    return int.from_bytes(hashlib.sha256(sku.encode()).digest()[:6], "big")


def _clean(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())  # no tab or newline inside a cell


def row(listing: Listing) -> str:
    n = _derived(listing.sku)
    opened = datetime.fromtimestamp(1_600_000_000 + n % 150_000_000, tz=timezone.utc)
    afn = listing.fulfillment_channel == "AFN"
    quantity = "" if afn or listing.quantity is None else str(listing.quantity)
    active = (afn or bool(listing.quantity)) if listing.available is None else listing.available
    values = {
        "item-name": listing.title, "listing-id": f"{n % 10**10:010d}", "seller-sku": listing.sku,
        "price": "" if listing.price is None else f"{listing.price:.2f}", "quantity": quantity,
        "open-date": opened.strftime("%Y-%m-%d %H:%M:%S UTC"), "image-url": listing.images.get("Main"),
        "item-is-marketplace": "y", "product-id-type": "1", "item-condition": "11", "asin1": listing.asin,
        "product-id": listing.asin, "pending-quantity": "0",
        "fulfillment-channel": "AMAZON_NA" if afn else "DEFAULT",
        "merchant-shipping-group": "Migrated Template", "status": "Active" if active else "Inactive",
    }
    return "\t".join(_clean(values.get(c)) for c in COLUMNS)


def render_listings(catalogue: Catalogue, codec: str) -> bytes:
    lines = ["\t".join(COLUMNS), *(row(listing) for listing in catalogue.listings.values())]
    return ("\r\n".join(lines) + "\r\n").encode(codec, errors="replace")


@dataclass
class ReportRequest:
    request_id: str
    seller_id: str
    report_type: str
    marketplace_id: str
    submitted: float
    report_id: str | None = None  # set when done
    completed: float | None = None
    content: bytes | None = None  # the report, in the marketplace's charset
    listings: int = 0
    compressed: bytes | None = None  # the GZIP document SP-API hands out, made on first download

    def status(self, now: float) -> str:
        if self.completed is not None:
            return DONE if self.listings else DONE_NO_DATA
        return SUBMITTED if now < self.submitted + START_SECONDS else IN_PROGRESS

    def started(self) -> float:
        return self.submitted + START_SECONDS


@dataclass
class ReportDesk:
    next_id: int = 60_000_000_000
    requests: dict[str, ReportRequest] = field(default_factory=dict)
    by_report: dict[str, ReportRequest] = field(default_factory=dict)

    def request(self, seller_id: str, report_type: str, marketplace_id: str, now: float) -> ReportRequest:
        self.next_id += 17
        request = ReportRequest(str(self.next_id), seller_id, report_type, marketplace_id, now)
        self.requests[request.request_id] = request
        return request

    def get(self, seller_id: str, request_id: str) -> ReportRequest | None:
        found = self.requests.get(request_id)
        return found if found and found.seller_id == seller_id else None

    def report(self, seller_id: str, report_id: str) -> ReportRequest | None:
        found = self.by_report.get(report_id)
        return found if found and found.seller_id == seller_id else None

    def settle(self, request: ReportRequest, catalogue: Catalogue, now: float) -> ReportRequest:
        """The request brought up to ``now``: done past ``READY_SECONDS``, with the catalogue as it is then."""
        if request.completed is None and now >= request.submitted + READY_SECONDS:
            request.content = render_listings(catalogue, charset(request.marketplace_id)[1])
            request.listings = len(catalogue.listings)
            request.completed = now
            self.next_id += 17
            request.report_id = str(self.next_id)
            self.by_report[request.report_id] = request
        return request

    def of_seller(self, seller_id: str) -> list[ReportRequest]:
        return sorted((r for r in self.requests.values() if r.seller_id == seller_id),
                      key=lambda r: (r.submitted, int(r.request_id)), reverse=True)


def add_bulk_listings(catalogue: Catalogue, count: int, currency: str, seed: int = 0) -> int:
    """``count`` more listings (``BULK-0000001``...) for large-report tests and benchmarks; the catalogue's size."""
    start = sum(1 for sku in catalogue.listings if sku.startswith("BULK-"))
    for i in range(start, start + count):
        n = _derived(f"{seed}:{i}")
        catalogue.add(Listing(f"BULK-{i:07d}", f"B0{n % 36**8:08X}"[:10], f"Bulk item {i}, size {n % 50}",
                              Decimal(499 + n % 9500) / 100, currency, quantity=n % 300,
                              fulfillment_channel="AFN" if n % 5 == 0 else "MFN"))
    return len(catalogue.listings)


def update_listing(catalogue: Catalogue, sku: str, changes: dict) -> dict:
    """Change a listing as a feed would (``price``, ``quantity``, ``title``); its new state."""
    listing = catalogue.get(sku)
    if listing is None:
        raise ValueError(f"no listing with SKU {sku!r}")
    unknown = set(changes) - {"price", "quantity", "title"}
    if unknown:
        raise ValueError(f"only price, quantity and title can be changed, not {', '.join(sorted(unknown))}")
    if "price" in changes:
        listing.price = Decimal(str(changes["price"]))
    if "quantity" in changes:
        listing.quantity = int(changes["quantity"])
    if "title" in changes:
        listing.title = str(changes["title"])
    return listing.as_dict()
