"""Amazon's own sandbox examples: the sandbox accepts each ``x-amzn-api-sandbox`` static request of the
operations it serves (its parameters pass the sandbox's validation), answers each request Amazon's
sandbox answers with 400 with 400 InvalidInput too, and every answer validates against the schema.

The examples name Amazon's orders and pagination tokens, not this world's: an unknown well-formed order
id is 404 NotFound and Amazon's pagination token is one the sandbox never issued (400, naming it).
"""

from __future__ import annotations

import pytest

from mws_component.lib.mws.clock import ManualClock

from .conftest import OPERATIONS, ORDER_SIDE, operation, validate


@pytest.fixture
def clock() -> ManualClock:
    """2026-01-01: after every date in Amazon's examples (a search window must lie in the past)."""
    return ManualClock(1_767_225_600.0)


def _examples():
    for operation_id in sorted(ORDER_SIDE):  # the listings side's examples: test_listings_static_examples
        for status, response in operation(operation_id)["responses"].items():
            for i, example in enumerate(response.get("x-amzn-api-sandbox", {}).get("static", [])):
                yield pytest.param(operation_id, int(status), example, id=f"{operation_id}-{status}-{i}")


def _send(sp, operation_id: str, parameters: dict):
    values = {name: p["value"] for name, p in parameters.items()}
    path = OPERATIONS[operation_id][2].replace("{orderId}", str(values.pop("orderId", "")))
    if OPERATIONS[operation_id][1] == "post":
        return sp.post(path, values.get("body", {}))
    query = {k: ",".join(v) if isinstance(v, list) else v for k, v in values.items()}
    return sp.get(path, query)


def _expected(operation_id: str, status: int, parameters: dict) -> set[int]:
    if status != 200:
        return {status}
    if operation_id == "getOrder":
        return {404}  # Amazon's order ids are not in this world
    if "paginationToken" in parameters:
        return {400}
    return {200}


@pytest.mark.parametrize(("operation_id", "status", "example"), list(_examples()))
def test_static_request(sp, operation_id, status, example):
    parameters = example["request"]["parameters"]
    answer = _send(sp, operation_id, parameters)
    assert answer.status in _expected(operation_id, status, parameters), answer.body
    validate(operation_id, answer.status, answer.json)
    if answer.status == 400 and status == 200:
        assert "paginationToken" in answer.json["errors"][0]["message"]
    elif answer.status == 400:
        assert answer.code == "InvalidInput"


def test_examples_cover_every_served_operation():
    covered = {p.values[0] for p in _examples() if p.values[1] == 200}
    assert covered == set(ORDER_SIDE)
