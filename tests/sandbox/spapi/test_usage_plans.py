"""Usage plans: the sandbox's own table agrees with the "Usage Plan" table in each operation's description
in Amazon's models, and the token buckets enforce it per seller x operation on the sandbox clock."""

from __future__ import annotations

import json
import re

import pytest
from mws_sandbox import Request
from mws_sandbox.spapi.plans import USAGE_PLANS
from mws_sandbox.spapi.routes import ROUTES

from .conftest import OPERATIONS, operation

PLAN_ROW = re.compile(r"\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|")
CREATED = {"createdAfter": "2023-01-01T00:00:00Z"}
PARTICIPATIONS = "/sellers/v1/marketplaceParticipations"


@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_table_matches_the_models_usage_plan(operation_id):
    rate, burst = PLAN_ROW.search(operation(operation_id)["description"]).groups()
    plan = USAGE_PLANS[operation_id]
    assert (plan.rate, plan.burst) == (float(rate), int(burst))
    assert plan.header == rate


def test_every_route_has_a_plan_and_a_model_operation():
    assert sorted(r.operation for r in ROUTES) == sorted(USAGE_PLANS) == sorted(OPERATIONS)


def test_search_orders_bursts_twenty_then_429_then_restores_at_its_rate(sp, clock):
    assert [sp.search(**CREATED).status for _ in range(20)] == [200] * 20
    throttled = sp.search(**CREATED)
    assert (throttled.status, throttled.code) == (429, "QuotaExceeded")
    assert throttled.json["errors"][0]["message"] == "You exceeded your quota for the requested resource."
    assert "x-amzn-ratelimit-limit" not in throttled.headers and throttled.headers["x-amzn-requestid"]
    clock.advance(1 / 0.0056 - 1)
    assert sp.search(**CREATED).status == 429
    clock.advance(1)
    assert [sp.search(**CREATED).status for _ in range(2)] == [200, 429]


def test_buckets_are_per_operation_and_per_seller(sp, other_sp):
    for _ in range(15):
        assert sp.get(PARTICIPATIONS).status == 200
    assert sp.get(PARTICIPATIONS).code == "QuotaExceeded"
    assert other_sp.get(PARTICIPATIONS).status == 200
    assert sp.search(**CREATED).status == 200


def test_get_order_restores_one_every_two_seconds(sp, sandbox, clock):
    order_id = sandbox.orders_truth()[0]["amazonOrderId"]
    assert [sp.order(order_id).status for _ in range(31)] == [200] * 30 + [429]
    clock.advance(4)
    assert [sp.order(order_id).status for _ in range(3)] == [200, 200, 429]


def test_answers_carry_the_plans_rate(sp, sandbox):
    assert sp.search(**CREATED).headers["x-amzn-ratelimit-limit"] == "0.0056"
    assert sp.order(sandbox.orders_truth()[0]["amazonOrderId"]).headers["x-amzn-ratelimit-limit"] == "0.5"
    assert sp.order("111-0000000-0000000").headers["x-amzn-ratelimit-limit"] == "0.5"  # a 404 too
    assert sp.get(PARTICIPATIONS).headers["x-amzn-ratelimit-limit"] == "0.016"


def test_throttled_calls_are_counted_in_stats(sp, sandbox):
    for _ in range(16):
        sp.get(PARTICIPATIONS)
    counts = sandbox.stats()["operations"]["getMarketplaceParticipations"]
    assert counts == {"requests": 16, "throttled": 1, "errors": 0}


def test_scenario_api_lists_the_usage_plans(sandbox):
    response = sandbox.handle(Request("GET", "/_sandbox/sp-api/usage-plans", {}, b""))
    assert json.loads(response.body)["searchOrders"] == {"rate": 0.0056, "burst": 20}
