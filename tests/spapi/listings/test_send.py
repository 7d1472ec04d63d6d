"""The write path against a scripted seller: schema checks before anything is sent, one item through the
Listings Items API, many through the feed-document flow (exactly once), dry runs with Amazon's preview,
and feed status and results read back (GZIP report) into the MWS outputs."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from mws_component.lib.feeds import FeedValidationError
from mws_component.lib.mws.errors import (
    NotReadyError,
    ResponseTooLargeError,
    SubmissionUncertainError,
    TransportError,
)
from mws_component.lib.mws.transport import FunctionTransport
from mws_component.lib.spapi import feeds, listings_send
from mws_component.lib.spapi.listings_feed import CONTENT_TYPE
from mws_component.lib.spapi.product_types import product_types

from .cases import CASES
from .conftest import listings_client
from .test_mapping import FEEDS

REPORT = {"header": {"sellerId": "A2NEXAMPLETF53", "version": "2.0", "feedId": "50001"},
          "issues": [{"messageId": 2, "sku": "SKU-2", "code": "99022", "severity": "ERROR",
                      "message": "not enough values", "attributeName": "purchasable_offer.our_price"},
                     {"messageId": 1, "sku": "SKU-1", "code": "18448", "severity": "WARNING",
                      "message": "incomplete", "attributeNames": ["item_weight"]}],
          "summary": {"errors": 1, "warnings": 1, "messagesProcessed": 2, "messagesAccepted": 1, "messagesInvalid": 1}}


def _submit(client, case, **options):
    kind, operation, category, body = CASES[case]
    items = body.get("items", body)
    return listings_send.submit(client, kind, items, operation=operation, category=category, **options)


def _paths(seller, prefix):
    return [r for r in seller.seen if urlsplit(r.url).path.startswith(prefix)]


def test_many_items_go_as_one_json_listings_feed_uploaded_with_exactly_its_content_type(client, seller):
    out = _submit(client, "price")
    assert out == {"feedSubmissionId": "50001", "feedType": "JSON_LISTINGS_FEED", "feedProcessingStatus": "_SUBMITTED_",
                   "submittedDate": "2026-01-01T00:00:00Z", "messageCount": 2}
    (upload,) = seller.uploads
    assert upload.method == "PUT" and upload.headers == {"content-type": CONTENT_TYPE}  # no SP-API header at all
    document = json.loads(seller.documents[seller.feeds[0]["input"]])
    assert [m["sku"] for m in document["messages"]] == ["SKU-1", "SKU-2"]
    assert seller.feeds[0]["marketplaceIds"] == ["ATVPDKIKX0DER"] and seller.listings_calls == []


def test_one_item_goes_straight_to_the_listings_items_api(client, seller):
    out = _submit(client, "product-partial")
    assert (out["feedType"], out["status"], out["feedSubmissionId"], out["messageCount"]) == \
        ("LISTINGS_ITEM", "ACCEPTED", "sub-1", 1)
    ((method, sku, mode, body),) = seller.listings_calls
    assert (method, sku, mode) == ("PATCH", "SKU-1", None) and seller.feeds == []
    assert body["patches"] == [{"op": "replace", "path": "/attributes/item_name",
                                "value": [{"value": "New name", "language_tag": "en_US",
                                           "marketplace_id": "ATVPDKIKX0DER"}]}]


@pytest.mark.parametrize(("case", "method"), [("product-delete", "DELETE"), ("image", "PATCH")])
def test_one_sku_deleted_or_patched_directly(client, seller, case, method):
    kind, operation, category, body = CASES[case]
    listings_send.submit(client, kind, body["items"][:1], operation=operation, category=category)
    assert [c[0] for c in seller.listings_calls] == [method]


def test_an_invalid_answer_raises_with_amazons_issue(client, seller):
    seller.invalid_skus.add("SKU-1")
    with pytest.raises(FeedValidationError) as caught:
        _submit(client, "product-partial")
    (problem,) = caught.value.problems
    assert problem.rule == "90220" and problem.path == "items[0].attributes.brand"


def test_schema_problems_name_item_attribute_and_fix_and_nothing_is_sent(client, seller):
    kind, operation, category, body = CASES["product"]
    items = [dict(body["items"][0]), {"sku": "SKU-2", "descriptionData": {"title": "a name longer than twenty bytes"}}]
    with pytest.raises(FeedValidationError) as caught:
        listings_send.submit(client, kind, items, operation=operation, category=category)
    found = {(p.index, p.path, p.rule) for p in caught.value.problems}
    assert found == {(1, "items[1].attributes.brand", "required"),
                     (1, "items[1].attributes.item_name.0.value", "maxUtf8ByteLength")}
    assert all("fix:" in p.message for p in caught.value.problems)
    assert seller.uploads == [] and seller.feeds == [] and seller.listings_calls == []


def test_amazon_keywords_selectors_and_unique_items_are_checked(client, seller):
    item = {"sku": "A", "descriptionData": {"title": "T", "brand": "Acme"},
            "attributes": {"item_name": [{"value": "T", "marketplace_id": "M", "language_tag": "en_US"},
                                         {"value": "U", "marketplace_id": "M", "language_tag": "en_US"}],
                           "bullet_point": [{"value": "1"}, {"value": "2"}, {"value": "3"}],
                           "brand": [{"value": "A"}]}}
    with pytest.raises(FeedValidationError) as caught:
        listings_send.submit(client, "product", item, category="Beauty")
    assert {p.rule for p in caught.value.problems} == {"selectors", "maxUniqueItems", "minUtf8ByteLength"}


def test_schemas_are_fetched_once_per_version_and_definitions_refreshed_hourly(client, seller):
    _submit(client, "product")
    _submit(client, "product")
    assert len(_paths(seller, "/presigned/schema/")) == 1 and len(_paths(seller, "/definitions/")) == 1
    seller.clock.advance(3601)
    seller.product_types["BEAUTY"] = "V8"
    _submit(client, "product")
    assert len(_paths(seller, "/presigned/schema/")) == 2 and len(_paths(seller, "/definitions/")) == 2
    assert product_types(client).schema("BEAUTY").version == "V8"


def test_an_oversized_schema_is_refused(client, seller, monkeypatch):
    from mws_component.lib.spapi import product_types as module

    monkeypatch.setattr(module, "MAX_SCHEMA_BYTES", 100)
    seller.product_types["TOYS_AND_GAMES"] = "V-big"
    with pytest.raises(ResponseTooLargeError):
        listings_send.submit(client, "product", {"sku": "A", "descriptionData": {"title": "T"}}, category="Toys & Games")


def test_dry_run_previews_every_listing_and_shows_the_document(client, seller):
    out = _submit(client, "product", dry_run=True)
    assert out["dryRun"] is True and out["feedType"] == "JSON_LISTINGS_FEED" and out["messageCount"] == 2
    assert [m["sku"] for m in out["feedDocument"]["messages"]] == ["SKU-1", "SKU-2"]
    assert [(c[0], c[2]) for c in seller.listings_calls] == [("PUT", "VALIDATION_PREVIEW")] * 2
    assert seller.uploads == [] and seller.feeds == []
    seller.invalid_skus.add("SKU-2")
    with pytest.raises(FeedValidationError) as caught:
        _submit(client, "product", dry_run=True)
    assert caught.value.problems[0].index == 1


def test_status_and_gzip_result_read_back_into_the_mws_outputs(client, seller):
    feed_id = _submit(client, "price")["feedSubmissionId"]
    assert listings_send.status(client, feed_id)["feedProcessingStatus"] == "_SUBMITTED_"
    with pytest.raises(NotReadyError):
        listings_send.result(client, feed_id)
    seller.clock.advance(120)
    seller.finish(feed_id, REPORT)
    status = listings_send.status(client, feed_id, "JSON_LISTINGS_FEED")
    assert status == {"feedSubmissionId": feed_id, "feedType": "JSON_LISTINGS_FEED", "feedProcessingStatus": "_DONE_",
                      "submittedDate": "2026-01-01T00:00:00Z", "startedProcessingDate": "2026-01-01T00:00:00Z",
                      "completedProcessingDate": "2026-01-01T00:02:00Z"}
    result = listings_send.result(client, feed_id)
    assert result["summary"] == {"messagesProcessed": 2, "messagesSuccessful": 1, "messagesWithError": 1,
                                 "messagesWithWarning": 1}
    assert result["results"][0] == {"messageId": 2, "resultCode": "Error", "resultMessageCode": "99022",
                                    "resultDescription": "not enough values", "sku": "SKU-2",
                                    "attributeNames": ["purchasable_offer.our_price"], "severity": "ERROR"}


def test_a_gzip_bomb_stops_at_the_cap():
    import gzip

    with pytest.raises(ResponseTooLargeError):
        feeds.gunzip(gzip.compress(b"0" * 10_000), 1000)
    assert feeds.gunzip(gzip.compress(b"0" * 1000), 1000) == b"0" * 1000


def test_amazons_example_processing_report_parses_per_message():
    from mws_component.lib.spapi.listings_feed import parse_report
    from tests.conftest import require_shared

    folder = require_shared(FEEDS, "Amazon's listings feed schemas")
    body = (folder / "listings-feed-processing-report-schema-v2.example.json").read_bytes()
    out = parse_report(body, "1234567890")
    assert out["summary"] == {"messagesProcessed": 4, "messagesSuccessful": 2, "messagesWithError": 2,
                              "messagesWithWarning": 0}
    assert [(r["messageId"], r["sku"], r["resultMessageCode"]) for r in out["results"]] == \
        [(4, "My-SKU-B", "90220"), (4, "My-SKU-B", "90220"), (5, "My-SKU-C", "99022")]
    assert out["results"][2]["attributeNames"] == ["purchasable_offer.our_price"]


# ------------------------------------------------------------------ exactly once


class LosesCreateFeed:
    """Loses the chosen createFeed exchanges: "before" Amazon saw them, or "after" it answered."""

    def __init__(self, seller, plan, meanwhile=None):
        self.seller, self.plan, self.meanwhile = seller, list(plan), meanwhile

    def __call__(self, request):
        if not (request.method == "POST" and urlsplit(request.url).path == "/feeds/2021-06-30/feeds") or not self.plan:
            return self.seller(request)
        fate = self.plan.pop(0)
        if fate == "before":
            raise TransportError("the proxy closed the connection before forwarding the request")
        answer = self.seller(request)
        if fate == "after":
            if self.meanwhile:
                self.meanwhile()
            raise TransportError("the proxy closed the connection before the answer came back")
        return answer


@pytest.mark.parametrize("fate", ["before", "after"])
def test_a_lost_create_feed_answer_gives_one_feed_and_its_own_id(seller, fate):
    first = listings_client(seller)
    a = _submit(first, "price")["feedSubmissionId"]
    seller.clock.advance(90)
    lossy = listings_client(seller, FunctionTransport(LosesCreateFeed(seller, [fate])))  # never saw feed A
    b = _submit(lossy, "inventory")["feedSubmissionId"]
    assert len(seller.feeds) == 2 and a != b
    assert json.loads(seller.documents[seller.feeds[1]["input"]])["messages"][0]["patches"][0]["path"] == \
        "/attributes/fulfillment_availability"
    assert b == seller.feeds[1]["feedId"]


def test_another_sender_meanwhile_is_an_error_naming_both(seller):
    other = listings_client(seller)

    def replica():
        _submit(other, "price")

    lossy = listings_client(seller, FunctionTransport(LosesCreateFeed(seller, ["after"], meanwhile=replica)))
    with pytest.raises(SubmissionUncertainError) as caught:
        _submit(lossy, "inventory")
    assert set(caught.value.candidates) == {f["feedId"] for f in seller.feeds} and len(seller.feeds) == 2


def test_a_fatal_feed_is_rejected_and_a_cancelled_one_has_no_report(client, seller):
    from mws_component.lib.mws.errors import ConfigurationError

    fatal = _submit(client, "price")["feedSubmissionId"]
    seller.gzip_reports = False  # a plain result document this time
    seller.finish(fatal, {**REPORT, "issues": [{"code": "4000003", "severity": "ERROR", "message": "bad JSON"}],
                          "summary": {"messagesProcessed": 0, "messagesAccepted": 0, "messagesInvalid": 0}}, "FATAL")
    out = listings_send.result(client, fatal)
    assert out["statusCode"] == "Rejected" and out["results"][0]["messageId"] == 0
    assert listings_send.status(client, fatal)["feedProcessingStatus"] == "_FATAL_"
    cancelled = _submit(client, "inventory")["feedSubmissionId"]
    next(f for f in seller.feeds if f["feedId"] == cancelled)["processingStatus"] = "CANCELLED"
    with pytest.raises(ConfigurationError, match="cancelled"):
        listings_send.result(client, cancelled)
