"""Every answer the sandbox gives for the SP-API operations it serves validates against that operation's
response schema in Amazon's models (jsonschema over the OpenAPI 2.0 definitions): successes with every
dataset and with a restricted data token, and each error the model defines (400, 403, 404, 429, 500)."""

from __future__ import annotations

import pytest

from .conftest import ALL_DATA, SEARCH, validate

CREATED = {"createdAfter": "2023-01-01T00:00:00Z"}
ORDERS_RDT = {"method": "GET", "path": SEARCH, "dataElements": ["buyerInfo", "shippingAddress"]}
ORDER_RDT = {"method": "GET", "path": SEARCH + "/{orderId}", "dataElements": ["buyerInfo", "shippingAddress"]}


def _all_pages(sp, token=None, **params):
    answer = sp.search(token, **params)
    yield answer
    while answer.status == 200 and "pagination" in answer.json:
        answer = sp.search(token, paginationToken=answer.json["pagination"]["nextToken"])
        yield answer


@pytest.mark.parametrize("included", ["", ALL_DATA, "FULFILLMENT", "BUYER,RECIPIENT"])
def test_search_orders_pages_validate(sp, clock, included):
    params = {**CREATED, "maxResultsPerPage": 7, **({"includedData": included} if included else {})}
    pages = list(_all_pages(sp, **params))
    assert len(pages) > 1
    for page in pages:
        validate("searchOrders", page.status, page.json)
        clock.advance(180)  # stay inside the usage plan


def test_search_orders_with_a_restricted_data_token_validates(sp):
    rdt = sp.rdt(ORDERS_RDT)
    answer = sp.search(rdt, includedData=ALL_DATA, **CREATED)
    assert any("buyer" in o for o in answer.json["orders"])
    validate("searchOrders", answer.status, answer.json)


def test_get_order_validates_for_every_seeded_order(sp, sandbox, clock):
    rdt = sp.rdt(ORDER_RDT)
    for truth in sandbox.orders_truth():
        for token in (None, rdt):
            answer = sp.order(truth["amazonOrderId"], token, includedData=ALL_DATA)
            validate("getOrder", answer.status, answer.json)
        clock.advance(4)


def test_participations_and_restricted_data_token_validate(sp):
    answer = sp.get("/sellers/v1/marketplaceParticipations")
    validate("getMarketplaceParticipations", answer.status, answer.json)
    rdt = sp.post("/tokens/2021-03-01/restrictedDataToken", {"restrictedResources": [ORDER_RDT]})
    validate("createRestrictedDataToken", rdt.status, rdt.json)


ERRORS = [
    ("searchOrders", lambda sp: sp.search(createdAfter="yesterday"), 400),
    ("searchOrders", lambda sp: sp.search(), 400),
    ("searchOrders", lambda sp: sp.search(paginationToken="nope"), 400),
    ("searchOrders", lambda sp: sp.search("Atza|IwEBforged", **CREATED), 403),
    ("getOrder", lambda sp: sp.order("TEST_CASE_400"), 400),
    ("getOrder", lambda sp: sp.order("111-0000000-0000000"), 404),
    ("getOrder", lambda sp: sp.order("111-0000000-0000000", "expired"), 403),
    ("getMarketplaceParticipations", lambda sp: sp.get("/sellers/v1/marketplaceParticipations", token="x"), 403),
    ("createRestrictedDataToken", lambda sp: sp.post("/tokens/2021-03-01/restrictedDataToken", {}), 400),
    ("createRestrictedDataToken", lambda sp: sp.post("/tokens/2021-03-01/restrictedDataToken",
                                                     {"restrictedResources": [{"method": "", "path": "/x"}]}), 400),
]


@pytest.mark.parametrize(("operation_id", "send", "status"), ERRORS)
def test_error_answers_validate(sp, operation_id, send, status):
    answer = send(sp)
    assert answer.status == status
    validate(operation_id, answer.status, answer.json)


CALLS = {
    "searchOrders": lambda sp: sp.search(**CREATED),
    "getOrder": lambda sp: sp.order("111-0000000-0000000"),
    "getMarketplaceParticipations": lambda sp: sp.get("/sellers/v1/marketplaceParticipations"),
    "createRestrictedDataToken": lambda sp: sp.post("/tokens/2021-03-01/restrictedDataToken",
                                                    {"restrictedResources": [ORDER_RDT]}),
}


@pytest.mark.parametrize("operation_id", sorted(CALLS))
def test_throttled_and_failed_answers_validate(sp, sandbox, operation_id):
    sandbox.set_faults(throttleRate=1.0)
    throttled = CALLS[operation_id](sp)
    assert throttled.status == 429
    validate(operation_id, throttled.status, throttled.json)
    sandbox.set_faults(throttleRate=0.0, errorRate=1.0)
    failed = CALLS[operation_id](sp)
    assert (failed.status, failed.code) == (500, "InternalFailure")
    validate(operation_id, failed.status, failed.json)
