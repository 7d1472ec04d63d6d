"""The Feeds API 2021-06-30 on the sandbox: the document flow on presigned loopback URLs, feeds moving
IN_QUEUE -> IN_PROGRESS -> DONE/FATAL on the sandbox clock, cancelling, getFeeds' filters and pages (how a
lost createFeed answer is found again), GZIP result documents, and feed types other than JSON listings."""

from __future__ import annotations

import gzip
import json

import pytest
import requests
from mws_sandbox import Request, serve

from ..conftest import feed_xml
from .conftest import validate
from .listings import (
    FEEDS,
    JSON_TYPE,
    document,
    envelope,
    fetch,
    finish,
    listings_sandbox,
    report,
    result,
    submit,
)


@pytest.fixture
def sandbox(clock):
    return listings_sandbox(clock)


def _quantity(sp, sku: str, quantity: int, message_id: int = 1) -> dict:
    return {"messageId": message_id, "sku": sku, "operationType": "PATCH", "productType": "PRODUCT",
            "patches": [{"op": "replace", "path": "/attributes/fulfillment_availability",
                         "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": quantity}]}]}


def test_feed_moves_on_the_clock_and_applies_to_the_catalogue(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    feed_id = submit(sp, sandbox, envelope(sp.creds["sellerId"], _quantity(sp, sku, 42)))
    seen = []
    for step in (0, 19, 2, 40):
        clock.advance(step)
        answer = sp.get(f"{FEEDS}/feeds/{feed_id}")
        validate("getFeed", answer.status, answer.json)
        seen.append(answer.json["processingStatus"])
    assert seen == ["IN_QUEUE", "IN_QUEUE", "IN_PROGRESS", "DONE"]
    assert answer.json["processingEndTime"] and answer.json["resultFeedDocumentId"]
    assert sandbox.catalogue()[sku]["quantity"] == 42


def test_result_document_is_gzip_and_decodes_to_the_report(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    feed = finish(sp, clock, submit(sp, sandbox, envelope(sp.creds["sellerId"], _quantity(sp, sku, 3))))
    answer = sp.get(f"{FEEDS}/documents/{feed['resultFeedDocumentId']}")
    validate("getFeedDocument", answer.status, answer.json)
    assert answer.json["compressionAlgorithm"] == "GZIP"
    raw = fetch(sandbox, "GET", answer.json["url"]).body
    assert raw[:2] == b"\x1f\x8b"
    body = json.loads(gzip.decompress(raw))
    assert body["summary"] == {"errors": 0, "warnings": 0, "messagesProcessed": 1, "messagesAccepted": 1,
                               "messagesInvalid": 0}
    assert body["header"]["feedId"] == feed["feedId"]


def test_upload_url_checks_content_type_verb_and_expiry(sp, sandbox, clock):
    doc = document(sp)
    validate("createFeedDocument", 201, doc)
    assert doc["url"].startswith("http://localhost/sp-api-files/documents/")
    assert fetch(sandbox, "PUT", doc["url"], {"Content-Type": "text/xml"}, b"{}").status == 403
    assert fetch(sandbox, "GET", doc["url"]).status == 403  # an upload URL does not download
    assert fetch(sandbox, "PUT", doc["url"], {"Content-Type": "application/json;charset=utf-8"}, b"{}").status == 200
    clock.advance(301)
    expired = fetch(sandbox, "PUT", doc["url"], {"Content-Type": JSON_TYPE}, b"{}")
    assert expired.status == 403 and b"<Code>AccessDenied</Code>" in expired.body
    assert fetch(sandbox, "PUT", doc["url"].replace("documents/amzn1", "documents/amzn2"),
                 {"Content-Type": JSON_TYPE}, b"{}").status == 403


@pytest.mark.parametrize(("content", "why"), [
    (b"{not json", "not valid UTF-8 JSON"),
    (json.dumps({"header": {"sellerId": "X", "version": "1.0"}, "messages": []}).encode(), "header"),
])
def test_a_document_that_is_no_listings_feed_is_fatal(sp, sandbox, clock, content, why):
    feed, body = report(sp, sandbox, clock, content)
    assert feed["processingStatus"] == "FATAL"
    assert body["summary"]["messagesProcessed"] == 0
    assert all("messageId" not in issue for issue in body["issues"]) and why in json.dumps(body["issues"])


def test_another_sellers_id_in_the_header_is_fatal(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    feed, body = report(sp, sandbox, clock, envelope("A3SOMEONEELSE", _quantity(sp, sku, 1)))
    assert feed["processingStatus"] == "FATAL" and "A3SOMEONEELSE" in body["issues"][0]["message"]


def test_a_never_uploaded_document_is_fatal(sp, sandbox, clock):
    doc = document(sp)
    answer = sp.post(f"{FEEDS}/feeds", {"feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [sp.creds["marketplaceId"]],
                                        "inputFeedDocumentId": doc["feedDocumentId"]})
    feed = finish(sp, clock, answer.json["feedId"])
    assert feed["processingStatus"] == "FATAL"
    assert "never uploaded" in json.loads(result(sp, sandbox, feed))["issues"][0]["message"]


def test_cancel_only_while_in_queue(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    before = sandbox.catalogue()[sku]["quantity"]
    queued = submit(sp, sandbox, envelope(sp.creds["sellerId"], _quantity(sp, sku, before + 5)))
    answer = sp.call("DELETE", f"{FEEDS}/feeds/{queued}")
    assert answer.status == 200
    validate("cancelFeed", answer.status, answer.json)
    clock.advance(61)
    assert sp.get(f"{FEEDS}/feeds/{queued}").json["processingStatus"] == "CANCELLED"
    assert sandbox.catalogue()[sku]["quantity"] == before
    done = finish(sp, clock, submit(sp, sandbox, envelope(sp.creds["sellerId"], _quantity(sp, sku, 1))))
    refused = sp.call("DELETE", f"{FEEDS}/feeds/{done['feedId']}")
    assert (refused.status, refused.code) == (400, "InvalidInput")
    validate("cancelFeed", refused.status, refused.json)


def test_get_feeds_filters_and_pages(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    start = sandbox.now_iso()
    ids = []
    for n in range(5):
        ids.append(submit(sp, sandbox, envelope(sp.creds["sellerId"], _quantity(sp, sku, n))))
        clock.advance(120)  # createFeed restores one call every 120 s
    pages, answer = [], sp.get(f"{FEEDS}/feeds", {"feedTypes": "JSON_LISTINGS_FEED", "pageSize": 2,
                                                  "createdSince": start})
    while True:
        validate("getFeeds", answer.status, answer.json)
        pages.append([f["feedId"] for f in answer.json["feeds"]])
        if "nextToken" not in answer.json:
            break
        clock.advance(46)
        answer = sp.get(f"{FEEDS}/feeds", {"nextToken": answer.json["nextToken"]})
    assert pages == [ids[::-1][0:2], ids[::-1][2:4], ids[::-1][4:]]
    clock.advance(46)
    none_queued = sp.get(f"{FEEDS}/feeds", {"feedTypes": "JSON_LISTINGS_FEED", "processingStatuses": "IN_QUEUE"})
    assert none_queued.json["feeds"] == []
    clock.advance(46)
    assert sp.get(f"{FEEDS}/feeds", {"feedTypes": "POST_ORDER_FULFILLMENT_DATA"}).json["feeds"] == []


def test_a_lost_create_feed_answer_is_found_by_type_and_creation_time(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    before = sandbox.now_iso()
    feed_id = submit(sp, sandbox, envelope(sp.creds["sellerId"], _quantity(sp, sku, 9)))  # pretend the answer was lost
    found = sp.get(f"{FEEDS}/feeds", {"feedTypes": "JSON_LISTINGS_FEED", "createdSince": before,
                                      "createdUntil": sandbox.now_iso()})
    assert [f["feedId"] for f in found.json["feeds"]] == [feed_id]
    listed = sandbox.handle(Request("GET", "/_sandbox/sp-api/feeds", {}, b""))
    assert [(f["feedId"], f["sellerId"]) for f in json.loads(listed.body)] == [(feed_id, sp.creds["sellerId"])]


@pytest.mark.parametrize(("params", "why"), [
    ({}, "feedTypes or nextToken"),
    ({"feedTypes": "JSON_LISTINGS_FEED", "processingStatuses": "BAD_VALUE"}, "BAD_VALUE"),
    ({"feedTypes": "JSON_LISTINGS_FEED", "pageSize": 101}, "pageSize"),
    ({"nextToken": "nope"}, "nextToken"),
    ({"nextToken": "nope", "feedTypes": "JSON_LISTINGS_FEED"}, "only parameter"),
])
def test_get_feeds_refuses_bad_parameters(sp, clock, params, why):
    answer = sp.get(f"{FEEDS}/feeds", params)
    assert (answer.status, answer.code) == (400, "InvalidInput")
    assert why in answer.json["errors"][0]["message"] + answer.json["errors"][0]["details"]
    validate("getFeeds", answer.status, answer.json)


def test_removed_listings_feed_types_are_refused_naming_the_removal(sp, sandbox):
    doc = document(sp, "text/xml; charset=UTF-8")
    answer = sp.post(f"{FEEDS}/feeds", {"feedType": "POST_INVENTORY_AVAILABILITY_DATA",
                                        "marketplaceIds": [sp.creds["marketplaceId"]],
                                        "inputFeedDocumentId": doc["feedDocumentId"]})
    assert (answer.status, answer.code) == (400, "InvalidInput") and "2025-07-31" in answer.json["errors"][0]["details"]
    validate("createFeed", answer.status, answer.json)


def test_an_order_feed_by_name_is_processed_like_on_mws(sp, sandbox, clock):
    order = next(o for o in sandbox.orders_truth() if o["orderStatus"] == "Unshipped")
    ack = ("<Message><MessageID>1</MessageID><OrderAcknowledgement><AmazonOrderID>"
           f"{order['amazonOrderId']}</AmazonOrderID><StatusCode>Failure</StatusCode></OrderAcknowledgement>"
           "</Message>")
    content = feed_xml("OrderAcknowledgement", ack)
    feed_id = submit(sp, sandbox, content, "POST_ORDER_ACKNOWLEDGEMENT_DATA", "text/xml; charset=UTF-8")
    xml = result(sp, sandbox, finish(sp, clock, feed_id)).decode()
    assert "<MessagesSuccessful>1</MessagesSuccessful>" in xml
    after = {o["amazonOrderId"]: o["orderStatus"] for o in sandbox.orders_truth()}
    assert after[order["amazonOrderId"]] == "Canceled"


def test_the_whole_flow_over_a_loopback_socket(sandbox, clock):
    from .conftest import Answer, Sp
    with serve(sandbox) as server, requests.Session() as session:
        def send(method, url, headers, body):
            r = session.request(method, server.url + url, headers=headers, data=body, timeout=5.0)
            return Answer(r.status_code, dict(r.headers), r.content)
        sp = Sp(send, sandbox.sp_api_credentials(server.url)).login()
        doc = document(sp)
        assert doc["url"].startswith(server.url + "/sp-api-files/documents/")
        sku = next(iter(sandbox.catalogue()))
        feed_doc = json.dumps(envelope(sp.creds["sellerId"], _quantity(sp, sku, 77))).encode()
        assert session.put(doc["url"], data=feed_doc, headers={"Content-Type": JSON_TYPE}, timeout=5.0).ok
        created = sp.post(f"{FEEDS}/feeds", {"feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [sp.creds["marketplaceId"]],
                                             "inputFeedDocumentId": doc["feedDocumentId"]})
        feed = finish(sp, clock, created.json["feedId"])
        url = sp.get(f"{FEEDS}/documents/{feed['resultFeedDocumentId']}").json["url"]
        download = session.get(url, timeout=5.0)
        assert json.loads(gzip.decompress(download.content))["summary"]["messagesAccepted"] == 1
    assert sandbox.catalogue()[sku]["quantity"] == 77
