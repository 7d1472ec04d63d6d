"""The existing fault injection applies to SP-API and LWA, and the whole SP-API side works over a real
loopback socket (LWA exchange, searchOrders pages, getOrder) with Amazon's header spellings."""

from __future__ import annotations

import pytest
import requests
from mws_sandbox import ConnectionDropped

from .conftest import SEARCH

CREATED = {"createdAfter": "2023-01-01T00:00:00Z"}


def test_error_fault_is_500_internal_failure_before_any_effect(sp, sandbox):
    sandbox.set_faults(errorRate=1.0)
    answer = sp.search(**CREATED)
    assert (answer.status, answer.code) == (500, "InternalFailure")
    assert "x-amzn-ratelimit-limit" not in answer.headers
    lwa = sp.lwa()
    assert (lwa.status, lwa.json["error"]) == (500, "server_error")


def test_throttle_fault_is_429_quota_exceeded(sp, sandbox):
    sandbox.set_faults(throttleRate=1.0)
    answer = sp.get("/sellers/v1/marketplaceParticipations")
    assert (answer.status, answer.code) == (429, "QuotaExceeded")
    assert sandbox.stats()["operations"]["getMarketplaceParticipations"]["throttled"] == 1


def test_disconnect_fault_drops_the_connection_in_process(sp, sandbox):
    sandbox.set_faults(disconnectRate=1.0)
    with pytest.raises(ConnectionDropped):
        sp.search(**CREATED)
    with pytest.raises(ConnectionDropped):
        sp.lwa()


def test_half_the_calls_fail_at_half_the_error_rate(sp, sandbox, clock):
    sandbox.set_faults(errorRate=0.5)
    statuses = []
    for _ in range(200):
        statuses.append(sp.order("111-0000000-0000000").status)
        clock.advance(2)
    assert set(statuses) == {404, 500} and 60 < statuses.count(500) < 140


def test_the_whole_flow_over_loopback_http(http_sp, sandbox):
    sp = http_sp.login()
    first = sp.search(maxResultsPerPage=25, **CREATED)
    assert first.status == 200 and first.headers["x-amzn-RequestId"]
    assert first.headers["x-amzn-RateLimit-Limit"] == "0.0056"
    assert first.headers["Content-Type"] == "application/json"
    second = sp.search(paginationToken=first.json["pagination"]["nextToken"])
    ids = [o["orderId"] for o in first.json["orders"] + second.json["orders"]]
    assert len(ids) == len(set(ids)) == 50
    assert sp.order(ids[0]).json["order"]["orderId"] == ids[0]


def test_disconnect_fault_resets_the_loopback_connection(http_sp, sandbox):
    sp = http_sp.login()
    sandbox.set_faults(disconnectRate=1.0)
    with pytest.raises(requests.exceptions.RequestException):
        sp.get(SEARCH, CREATED)


def test_unserved_paths_and_methods_are_404_not_found_with_a_request_id(sp):
    for answer in (sp.get("/orders/v0/orders"), sp.post(SEARCH, {})):
        assert (answer.status, answer.code) == (404, "NotFound") and answer.headers["x-amzn-requestid"]
        assert "searchOrders" not in answer.json["errors"][0]["message"]
        assert "/orders/2026-01-01/orders" in answer.json["errors"][0]["details"]
