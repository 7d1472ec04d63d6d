"""Helpers for the tests of the SP-API listings write side: a sandbox that holds Amazon's feed schemas,
and the feed-document flow (createFeedDocument, PUT, createFeed, wait, result document) done by hand."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

from mws_sandbox import Request, Sandbox

from tests.conftest import SHARED, require_shared

FEEDS = "/feeds/2021-06-30"
ITEMS = "/listings/2021-08-01/items"
PRODUCT_TYPES = "/definitions/2020-09-01/productTypes"
JSON_TYPE = "application/json; charset=UTF-8"


def feed_schema_dir() -> Path:
    return require_shared(SHARED / "sp-api" / "schemas" / "feeds", "Amazon's listings feed schemas")


def amazon_json(name: str) -> dict:
    return json.loads((feed_schema_dir() / name).read_text(encoding="utf-8"))


def listings_sandbox(clock, schemas: bool = True) -> Sandbox:
    """The seeded world of the other tests, checking feeds against Amazon's schemas (or its own checks)."""
    return Sandbox(clock, seed=7, orders=60, feed_schema_dir=str(feed_schema_dir()) if schemas else None)


def fetch(sandbox: Sandbox, method: str, url: str, headers: dict | None = None, body: bytes = b""):
    """A request to a presigned URL, as a plain HTTP client would send it (no SP-API headers)."""
    parts = urlsplit(url)
    return sandbox.handle(Request(method, f"{parts.path}?{parts.query}", headers or {}, body))


def document(sp, content_type: str = JSON_TYPE) -> dict:
    answer = sp.post(f"{FEEDS}/documents", {"contentType": content_type})
    assert answer.status == 201, answer.body
    return answer.json


def submit(sp, sandbox: Sandbox, content: dict | bytes, feed_type: str = "JSON_LISTINGS_FEED",
           content_type: str = JSON_TYPE) -> str:
    """Upload ``content`` and create the feed; returns the feedId."""
    doc = document(sp, content_type)
    body = content if isinstance(content, bytes) else json.dumps(content).encode()
    assert fetch(sandbox, "PUT", doc["url"], {"Content-Type": content_type}, body).status == 200
    answer = sp.post(f"{FEEDS}/feeds", {"feedType": feed_type, "marketplaceIds": [sp.creds["marketplaceId"]],
                                        "inputFeedDocumentId": doc["feedDocumentId"]})
    assert answer.status == 202, answer.body
    return answer.json["feedId"]


def finish(sp, clock, feed_id: str) -> dict:
    clock.advance(61)
    answer = sp.get(f"{FEEDS}/feeds/{feed_id}")
    assert answer.json["processingStatus"] in ("DONE", "FATAL"), answer.json
    return answer.json


def result(sp, sandbox: Sandbox, feed: dict) -> bytes:
    """The result document's content, GZIP-decoded as getFeedDocument's compressionAlgorithm says."""
    answer = sp.get(f"{FEEDS}/documents/{feed['resultFeedDocumentId']}")
    assert answer.json["compressionAlgorithm"] == "GZIP"
    download = fetch(sandbox, "GET", answer.json["url"])
    assert download.status == 200
    return gzip.decompress(download.body)


def report(sp, sandbox: Sandbox, clock, content: dict | bytes) -> tuple[dict, dict]:
    """Submit, let processing finish, and return (feed, processing report)."""
    feed = finish(sp, clock, submit(sp, sandbox, content))
    return feed, json.loads(result(sp, sandbox, feed))


def envelope(seller_id: str, *messages: dict) -> dict:
    return {"header": {"sellerId": seller_id, "version": "2.0", "issueLocale": "en_US"}, "messages": list(messages)}


def item_path(sp, sku: str) -> str:
    return f"{ITEMS}/{sp.creds['sellerId']}/{sku}"


def mp(sp) -> dict:
    return {"marketplaceIds": sp.creds["marketplaceId"]}


def full_listing(sp, name: str = "Travel Case", **extra: list) -> dict:
    """A complete LUGGAGE listing body for putListingsItem."""
    market = sp.creds["marketplaceId"]
    attributes = {"item_name": [{"value": name, "language_tag": "en_US", "marketplace_id": market}],
                  "brand": [{"value": "Acme", "marketplace_id": market}],
                  "condition_type": [{"value": "new_new", "marketplace_id": market}], **extra}
    return {"productType": "LUGGAGE", "requirements": "LISTING", "attributes": attributes}
