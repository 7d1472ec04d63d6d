"""A scripted SP-API seller for the listings write path: Product Type Definitions (one small schema
in Amazon's meta-schema form), Listings Items (with VALIDATION_PREVIEW), and the Feeds document
flow with presigned upload/download URLs on the same host, reports optionally GZIP'd.

It extends ``FakeSpApi`` (LWA, token checks, ``faults``, ``seen``); the emulator covers integration.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from mws_component.lib.mws.transport import HttpRequest, HttpResponse

from ..fakes import FakeSpApi, json_response

SCHEMA = {
    "$schema": "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1",
    "type": "object", "required": ["item_name", "brand"], "additionalProperties": False,
    "properties": {
        "item_name": {"type": "array", "maxUniqueItems": 1, "selectors": ["marketplace_id", "language_tag"],
                      "items": {"type": "object", "required": ["value"], "properties": {
                          "value": {"type": "string", "maxUtf8ByteLength": 20}, "language_tag": {"type": "string"},
                          "marketplace_id": {"type": "string"}}}},
        "brand": {"type": "array", "items": {"type": "object", "properties": {
            "value": {"type": "string", "minUtf8ByteLength": 2}, "language_tag": {"type": "string"},
            "marketplace_id": {"type": "string"}}}},
        "bullet_point": {"type": "array", "maxUniqueItems": 2, "items": {"type": "object"}},
        "fulfillment_availability": {"type": "array", "items": {"type": "object", "properties": {
            "quantity": {"type": "integer", "minimum": 0}}}},
        "purchasable_offer": {"type": "array", "items": {"type": "object"}},
        "condition_type": {"type": "array"},
        "externally_assigned_product_identifier": {"type": "array"},
    },
}
HOST = "http://127.0.0.1:8999"


@dataclass
class FakeListings(FakeSpApi):
    product_types: dict = field(default_factory=lambda: {"BEAUTY": "V7", "PRODUCT": "V1"})
    invalid_skus: set = field(default_factory=set)  # Listings Items answers INVALID for these
    documents: dict = field(default_factory=dict)  # feedDocumentId -> bytes uploaded
    feeds: list = field(default_factory=list)  # feeds created, in order
    uploads: list = field(default_factory=list)  # the upload requests (headers checked by tests)
    listings_calls: list = field(default_factory=list)  # (method, sku, mode, body)
    gzip_reports: bool = True

    def route(self, request: HttpRequest) -> HttpResponse:
        path = urlsplit(request.url).path
        if path.startswith("/presigned/"):
            return self.presigned(request, path)
        return super().route(request)

    def api(self, request: HttpRequest, path: str, token: str, extra: dict) -> HttpResponse:
        query = dict(parse_qsl(urlsplit(request.url).query))
        if path.startswith("/definitions/2020-09-01/productTypes/"):
            return self.definition(unquote(path.rsplit("/", 1)[1]))
        if path.startswith("/listings/2021-08-01/items/"):
            return self.listing(request, unquote(path.rsplit("/", 1)[1]), query)
        if path == "/feeds/2021-06-30/documents" and request.method == "POST":
            doc_id = f"amzn1.tortuga.doc.{len(self.documents) + 1}"
            self.documents[doc_id] = None
            return json_response(201, {"feedDocumentId": doc_id, "url": f"{HOST}/presigned/up/{doc_id}"}, self.clock)
        if path == "/feeds/2021-06-30/feeds" and request.method == "POST":
            return self.create_feed(json.loads(request.body))
        if path == "/feeds/2021-06-30/feeds":
            return self.get_feeds(query)
        if path.startswith("/feeds/2021-06-30/feeds/"):
            return self.get_feed(path.rsplit("/", 1)[1])
        if path.startswith("/feeds/2021-06-30/documents/"):
            doc_id = path.rsplit("/", 1)[1]
            extra_doc = {"compressionAlgorithm": "GZIP"} if self.gzip_reports else {}
            return json_response(200, {"feedDocumentId": doc_id, "url": f"{HOST}/presigned/down/{doc_id}",
                                       **extra_doc}, self.clock)
        return super().api(request, path, token, extra)

    def definition(self, product_type: str) -> HttpResponse:
        if product_type not in self.product_types:
            return json_response(404, {"errors": [{"code": "NotFound", "message": "no such product type"}]}, self.clock)
        return json_response(200, {"productType": product_type, "productTypeVersion": {
            "version": self.product_types[product_type], "latest": True},
            "schema": {"link": {"resource": f"{HOST}/presigned/schema/{product_type}", "verb": "GET"},
                       "checksum": "x"}, "requirements": "LISTING", "metaSchema": {}}, self.clock)

    def listing(self, request: HttpRequest, sku: str, query: dict) -> HttpResponse:
        body = json.loads(request.body) if request.body else None
        self.listings_calls.append((request.method, sku, query.get("mode"), body))
        if sku in self.invalid_skus:
            return json_response(200, {"sku": sku, "status": "INVALID", "submissionId": "", "issues": [
                {"code": "90220", "message": "'brand' is required but not supplied.", "severity": "ERROR",
                 "attributeNames": ["brand"]}]}, self.clock)
        return json_response(200, {"sku": sku, "status": "ACCEPTED", "submissionId": f"sub-{len(self.listings_calls)}",
                                   "issues": []}, self.clock)

    def create_feed(self, body: dict) -> HttpResponse:
        feed_id = str(50000 + len(self.feeds) + 1)
        stamp = self._now_iso()
        self.feeds.append({"feedId": feed_id, "feedType": body["feedType"], "marketplaceIds": body["marketplaceIds"],
                           "createdTime": stamp, "processingStatus": "IN_QUEUE",
                           "input": body["inputFeedDocumentId"]})
        return json_response(202, {"feedId": feed_id}, self.clock)

    def _now_iso(self) -> str:
        import time
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.clock.now()))

    def get_feeds(self, query: dict) -> HttpResponse:
        since = query.get("createdSince", "")
        hits = [self.public(f) for f in self.feeds if f["createdTime"] >= since
                and f["feedType"] in query.get("feedTypes", "").split(",")]
        return json_response(200, {"feeds": hits}, self.clock)

    def get_feed(self, feed_id: str) -> HttpResponse:
        for feed in self.feeds:
            if feed["feedId"] == feed_id:
                return json_response(200, self.public(feed), self.clock)
        return json_response(404, {"errors": [{"code": "NotFound", "message": "no such feed"}]}, self.clock)

    @staticmethod
    def public(feed: dict) -> dict:
        return {k: v for k, v in feed.items() if k not in ("input", "report")}

    def finish(self, feed_id: str, report: dict, status: str = "DONE") -> None:
        """Amazon processed ``feed_id``: its result document holds ``report``."""
        feed = next(f for f in self.feeds if f["feedId"] == feed_id)
        doc_id = f"amzn1.tortuga.result.{feed_id}"
        data = json.dumps(report).encode()
        self.documents[doc_id] = gzip.compress(data) if self.gzip_reports else data
        feed.update(processingStatus=status, resultFeedDocumentId=doc_id, processingStartTime=feed["createdTime"],
                    processingEndTime=self._now_iso())

    def presigned(self, request: HttpRequest, path: str) -> HttpResponse:
        if "x-amz-access-token" in request.headers:
            return HttpResponse.of(400, {}, b"presigned URLs take no SP-API headers")
        kind, name = path.split("/")[2], unquote(path.split("/", 3)[3])
        if kind == "schema":  # offer-only PRODUCT: any attribute, none required
            schema = {**SCHEMA, "additionalProperties": True, "required": []} if name == "PRODUCT" else SCHEMA
            return HttpResponse.of(200, {"content-type": "application/json"}, json.dumps(schema).encode())
        if kind == "up" and request.method == "PUT":
            self.uploads.append(request)
            self.documents[name] = bytes(request.body)
            return HttpResponse.of(200, {}, b"")
        if kind == "down" and request.method == "GET" and self.documents.get(name) is not None:
            return HttpResponse.of(200, {}, self.documents[name])
        return HttpResponse.of(403, {}, b"<Error><Code>AccessDenied</Code></Error>")
