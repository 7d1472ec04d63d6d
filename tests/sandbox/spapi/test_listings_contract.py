"""The listings write side against Amazon's models: Amazon's ``x-amzn-api-sandbox`` static requests for
these operations are accepted (or refused, where Amazon's sandbox refuses them), every error answer a model
defines validates (403, 429, 500), and the usage plans are enforced on the sandbox clock.

Static requests name Amazon's ids, not this world's, and some leave out required parameters Amazon's
static sandbox does not check: the seller id, marketplace and a listing body are filled in for 200
examples (VALIDATION_INVALID gets the ``fake_attribute`` its answer names); foreign feed and document
ids are 400 (ill-formed here) or 404.
"""

from __future__ import annotations

import pytest

from .conftest import operation, validate
from .listings import FEEDS, ITEMS, PRODUCT_TYPES, document, full_listing, item_path, listings_sandbox, mp

LISTINGS_SIDE = ("createFeedDocument", "getFeedDocument", "createFeed", "getFeeds", "getFeed", "cancelFeed",
                 "putListingsItem", "patchListingsItem", "deleteListingsItem", "getListingsItem",
                 "searchDefinitionsProductTypes", "getDefinitionsProductType")
PATHS = {"createFeedDocument": ("POST", FEEDS + "/documents"), "getFeedDocument": ("GET", FEEDS + "/documents/{feedDocumentId}"),
         "createFeed": ("POST", FEEDS + "/feeds"), "getFeeds": ("GET", FEEDS + "/feeds"),
         "getFeed": ("GET", FEEDS + "/feeds/{feedId}"), "cancelFeed": ("DELETE", FEEDS + "/feeds/{feedId}"),
         "putListingsItem": ("PUT", ITEMS + "/{sellerId}/{sku}"), "patchListingsItem": ("PATCH", ITEMS + "/{sellerId}/{sku}"),
         "deleteListingsItem": ("DELETE", ITEMS + "/{sellerId}/{sku}"), "getListingsItem": ("GET", ITEMS + "/{sellerId}/{sku}"),
         "searchDefinitionsProductTypes": ("GET", PRODUCT_TYPES),
         "getDefinitionsProductType": ("GET", PRODUCT_TYPES + "/{productType}")}
DEFAULTS = {"sku": "GM-ZDPI-9B4E", "productType": "LUGGAGE", "feedId": "1", "feedDocumentId": "amzn1.tortuga.x"}
LISTINGS_OPS = ("putListingsItem", "patchListingsItem", "deleteListingsItem", "getListingsItem")
FOREIGN_IDS = ("getFeed", "cancelFeed", "getFeedDocument", "createFeed")


@pytest.fixture
def sandbox(clock):
    return listings_sandbox(clock)


def _examples():
    for operation_id in LISTINGS_SIDE:
        for status, response in operation(operation_id)["responses"].items():
            for i, example in enumerate(response.get("x-amzn-api-sandbox", {}).get("static", [])):
                yield pytest.param(operation_id, int(status), example, id=f"{operation_id}-{status}-{i}")


def _body(sp, operation_id: str, sku: str, given: dict | None, ok: bool) -> dict | None:
    if given or not ok or operation_id not in ("putListingsItem", "patchListingsItem"):
        return given
    if operation_id == "putListingsItem":
        extra = {"fake_attribute": [{"value": 1}]} if sku == "VALIDATION_INVALID" else {}
        return full_listing(sp, **extra)
    name = "fake_attribute" if sku == "VALIDATION_INVALID" else "fulfillment_availability"
    return {"productType": "LUGGAGE", "patches": [{"op": "replace", "path": f"/attributes/{name}",
                                                   "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 1}]}]}


def _send(sp, operation_id: str, status: int, parameters: dict):
    values = {name: p["value"] for name, p in parameters.items() if "value" in p}  # "body": {} has none
    method, template = PATHS[operation_id]
    args = {"sellerId": sp.creds["sellerId"], **DEFAULTS, **{k: values.pop(k) for k in list(values) if "{" + k + "}" in template}}
    path = template.format(**{k: str(v) for k, v in args.items()})
    body = _body(sp, operation_id, args["sku"], values.pop("body", None), status == 200)
    if status == 200 and (operation_id in LISTINGS_OPS or "Definitions" in operation_id):
        values.setdefault("marketplaceIds", [sp.creds["marketplaceId"]])
    if operation_id in LISTINGS_OPS and status == 200 and operation_id != "putListingsItem":
        sp.call("PUT", item_path(sp, args["sku"]), mp(sp), full_listing(sp))  # a listing to act on
    if method in ("POST", "PUT", "PATCH"):
        return sp.call(method, path, values, body if body is not None else {})
    return sp.call(method, path, values)


def _expected(operation_id: str, status: int) -> set[int]:
    if operation_id in FOREIGN_IDS:
        return {400, 404}  # Amazon's ids and document ids are not this world's
    return {status}


@pytest.mark.parametrize(("operation_id", "status", "example"), list(_examples()))
def test_static_request(sp, clock, operation_id, status, example):
    answer = _send(sp, operation_id, status, example["request"]["parameters"])
    assert answer.status in _expected(operation_id, status), answer.body
    validate(operation_id, answer.status, answer.json)
    expected = example.get("response", {})
    if answer.status == 200 and "status" in expected:
        assert answer.json["status"] == expected["status"]
        names = {n for i in expected.get("issues", []) for n in i.get("attributeNames", [])}
        assert names <= {n for i in answer.json["issues"] for n in i["attributeNames"]} | {"condition_type"}
    if answer.status == 400:
        assert answer.code == "InvalidInput"


def test_examples_cover_every_listings_operation():
    covered = {p.values[0] for p in _examples() if p.values[1] < 300}
    assert covered == set(LISTINGS_SIDE)


CALLS = {
    "createFeedDocument": lambda sp: sp.post(FEEDS + "/documents", {"contentType": "application/json"}),
    "getFeedDocument": lambda sp: sp.get(FEEDS + "/documents/amzn1.tortuga.4.na.x"),
    "createFeed": lambda sp: sp.post(FEEDS + "/feeds", {"feedType": "JSON_LISTINGS_FEED"}),
    "getFeeds": lambda sp: sp.get(FEEDS + "/feeds", {"feedTypes": "JSON_LISTINGS_FEED"}),
    "getFeed": lambda sp: sp.get(FEEDS + "/feeds/123"),
    "cancelFeed": lambda sp: sp.call("DELETE", FEEDS + "/feeds/123"),
    "putListingsItem": lambda sp: sp.call("PUT", item_path(sp, "X"), mp(sp), full_listing(sp)),
    "patchListingsItem": lambda sp: sp.call("PATCH", item_path(sp, "X"), mp(sp), {"productType": "LUGGAGE", "patches": [
        {"op": "delete", "path": "/attributes/brand"}]}),
    "deleteListingsItem": lambda sp: sp.call("DELETE", item_path(sp, "X"), mp(sp)),
    "getListingsItem": lambda sp: sp.call("GET", item_path(sp, "X"), mp(sp)),
    "searchDefinitionsProductTypes": lambda sp: sp.get(PRODUCT_TYPES, mp(sp)),
    "getDefinitionsProductType": lambda sp: sp.get(PRODUCT_TYPES + "/LUGGAGE", mp(sp)),
}


@pytest.mark.parametrize("operation_id", LISTINGS_SIDE)
def test_forbidden_throttled_and_failed_answers_validate(sp, sandbox, operation_id):
    sp.token, token = "Atza|IwEBforged", sp.token
    forbidden = CALLS[operation_id](sp)
    assert (forbidden.status, forbidden.code) == (403, "Unauthorized")
    validate(operation_id, forbidden.status, forbidden.json)
    sp.token = token
    sandbox.set_faults(throttleRate=1.0)
    throttled = CALLS[operation_id](sp)
    assert throttled.status == 429 and "x-amzn-ratelimit-limit" not in throttled.headers
    validate(operation_id, throttled.status, throttled.json)
    sandbox.set_faults(throttleRate=0.0, errorRate=1.0)
    failed = CALLS[operation_id](sp)
    assert (failed.status, failed.code) == (500, "InternalFailure")
    validate(operation_id, failed.status, failed.json)


def test_create_feed_bursts_fifteen_then_restores_one_every_120_seconds(sp, clock):
    doc = document(sp)["feedDocumentId"]
    spec = {"feedType": "JSON_LISTINGS_FEED", "marketplaceIds": [sp.creds["marketplaceId"]], "inputFeedDocumentId": doc}
    answers = [sp.post(FEEDS + "/feeds", spec) for _ in range(16)]
    assert [a.status for a in answers] == [202] * 15 + [429]
    assert answers[0].headers["x-amzn-ratelimit-limit"] == "0.0083"
    clock.advance(120)
    assert sp.post(FEEDS + "/feeds", spec).status == 429
    clock.advance(1)
    assert sp.post(FEEDS + "/feeds", spec).status == 202


def test_listings_items_rates(sp, clock):
    body = full_listing(sp)
    puts = [sp.call("PUT", item_path(sp, "RATE"), mp(sp), body).status for _ in range(11)]
    assert puts == [200] * 10 + [429]
    clock.advance(0.2)
    assert sp.call("PUT", item_path(sp, "RATE"), mp(sp), body).headers["x-amzn-ratelimit-limit"] == "5"
