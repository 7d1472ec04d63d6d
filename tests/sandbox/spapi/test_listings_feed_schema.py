"""JSON_LISTINGS_FEED documents against Amazon's schemas: Amazon's own examples validate and are processed,
schema errors become per-message issues (the other messages still apply), and every processing report the
sandbox writes validates against Amazon's report schema. The same classification holds when the sandbox runs
its own structural checks (no schema folder)."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from .listings import amazon_json, envelope, listings_sandbox, report

FEED = "listings-feed-schema-v2.json"
REPORT = "listings-feed-processing-report-schema-v2.json"


@pytest.fixture(params=[True, False], ids=["amazon-schemas", "own-checks"])
def sandbox(request, clock):
    return listings_sandbox(clock, schemas=request.param)


def _valid_report(body: dict) -> None:
    jsonschema.Draft7Validator(amazon_json(REPORT)).validate(body)


def test_amazons_examples_validate_against_amazons_schemas():
    jsonschema.Draft7Validator(amazon_json(FEED)).validate(amazon_json("listings-feed-schema-v2.example.json"))
    _valid_report(amazon_json("listings-feed-processing-report-schema-v2.example.json"))


def test_amazons_example_feed_is_processed(sp, sandbox, clock):
    example = copy.deepcopy(amazon_json("listings-feed-schema-v2.example.json"))
    example["header"]["sellerId"] = sp.creds["sellerId"]
    example["messages"][1]["sku"] = next(iter(sandbox.catalogue()))  # a SKU this seller has
    feed, body = report(sp, sandbox, clock, example)
    assert feed["processingStatus"] == "DONE"
    _valid_report(body)
    assert body["header"]["report"]["includedData"] == example["header"]["report"]["includedData"]
    by_message = {}
    for issue in body["issues"]:
        by_message.setdefault(issue["messageId"], []).append(issue)
    assert by_message[1][0]["code"] == "4000002"  # My-SKU-A does not exist: nothing to delete
    assert 2 not in by_message  # the PARTIAL_UPDATE of an existing SKU is accepted
    assert {i["attributeName"] for i in by_message[3]} == {"brand", "condition_type"}  # required by LUGGAGE
    assert body["summary"]["messagesProcessed"] == 5
    assert [item["sku"] for item in body["items"]] == [example["messages"][1]["sku"]]
    assert sandbox.catalogue()[example["messages"][1]["sku"]]["quantity"] == 10


def test_schema_errors_are_issues_of_their_message_and_the_rest_applies(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    good = {"messageId": 4, "sku": sku, "operationType": "PARTIAL_UPDATE", "productType": "PRODUCT",
            "attributes": {"fulfillment_availability": [{"fulfillment_channel_code": "DEFAULT", "quantity": 5}]}}
    messages = [
        {"messageId": 1, "sku": "A", "operationType": "UPDATE", "productType": "PRODUCT"},  # no attributes
        {"messageId": 2, "sku": "", "operationType": "DELETE"},  # empty sku
        {"messageId": 3, "sku": "C", "operationType": "UPSERT", "productType": "PRODUCT", "attributes": {"a": []}},
        good,
        {"messageId": 5, "sku": "E", "operationType": "DELETE", "productType": "PRODUCT"},  # not for DELETE
        {**good, "messageId": 4},  # duplicate messageId
    ]
    feed, body = report(sp, sandbox, clock, envelope(sp.creds["sellerId"], *messages))
    assert feed["processingStatus"] == "DONE"
    _valid_report(body)
    flagged = {i.get("messageId") for i in body["issues"]}
    assert flagged == {1, 2, 3, 4, 5}
    assert all(i["code"] == "4000003" and i["severity"] == "ERROR" for i in body["issues"])
    assert sum(1 for i in body["issues"] if i.get("messageId") == 4) == 1  # only the duplicate
    assert body["summary"]["messagesProcessed"] == 6 and body["summary"]["messagesAccepted"] == 1
    assert sandbox.catalogue()[sku]["quantity"] == 5


def test_attribute_errors_name_the_attribute(sp, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    market = sp.creds["marketplaceId"]
    message = {"messageId": 1, "sku": sku, "operationType": "PARTIAL_UPDATE", "productType": "PRODUCT",
               "attributes": {"item_name": [{"value": "ü" * 101, "marketplace_id": market}],
                              "fake_attribute": [{"value": 1}]}}
    feed, body = report(sp, sandbox, clock, envelope(sp.creds["sellerId"], message))
    _valid_report(body)
    assert {i["attributeName"] for i in body["issues"]} == {"item_name", "fake_attribute"}
    assert "202 bytes" in next(i["message"] for i in body["issues"] if i["attributeName"] == "item_name")
    assert body["summary"]["messagesInvalid"] == 1


def test_fatal_reports_validate_too(sp, sandbox, clock):
    feed, body = report(sp, sandbox, clock, {"header": {"sellerId": sp.creds["sellerId"]}, "messages": "none"})
    assert feed["processingStatus"] == "FATAL"
    _valid_report(body)
