"""The ERP steps through the real sailor (in-process) on the real broker, against the sandbox over
loopback HTTP with a simulated clock: what the platform runs is what the CLI tests run."""

from __future__ import annotations

import pytest
from mws_sandbox import Sandbox, serve

from mws_component import COMPONENT_ROOT
from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock

from .conftest import step_data
from .harness import running_sailor

pytestmark = pytest.mark.rabbitmq


@pytest.fixture
def world():
    clock = ManualClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z
    sandbox = Sandbox(clock=clock, seed=7, orders=40)
    with serve(sandbox) as server, override(clock=clock):
        yield sandbox, server.url, clock


def _unshipped(sandbox: Sandbox) -> str:
    return next(o["amazonOrderId"] for o in sandbox.orders_truth() if o["orderStatus"] == "Unshipped")


# What each step's messages must carry (the steps' own tests check the values).
SHAPE = {
    "getOrder": lambda m: {"amazonOrderId", "orderStatus", "purchaseDate"} <= set(m),
    "confirmShipment": lambda m: bool(m.get("feedSubmissionId")) or m.get("status") == "Confirmed",
    "acknowledgeOrder": lambda m: bool(m.get("feedSubmissionId")),
    "listFinancialEvents": lambda m: m.get("kind") and isinstance(m.get("lines"), list),
    "listProducts": lambda m: bool(m.get("sellerSku")),
}


def _inputs(sandbox: Sandbox) -> dict[str, tuple[dict, dict, int]]:
    """step -> (step fields, input body, data messages it must publish at least)."""
    ids = [o["amazonOrderId"] for o in sandbox.orders_truth()[:3]]
    return {
        "getOrder": ({}, {"amazonOrderIds": ids}, 3),
        "confirmShipment": ({}, {"amazonOrderId": _unshipped(sandbox), "carrierCode": "UPS",
                                 "trackingNumber": "1Z999AA10123456784", "shipDate": "2025-12-31T20:00:00Z"}, 1),
        "acknowledgeOrder": ({}, {"amazonOrderId": ids[0], "merchantOrderId": "ERP-1001"}, 1),
        "listFinancialEvents": ({"settleHours": 0}, {}, 1),
        "listProducts": ({}, {}, 10),
    }


@pytest.mark.parametrize("api", ["mws", "sp-api"])
@pytest.mark.parametrize("step", ["getOrder", "confirmShipment", "acknowledgeOrder", "listFinancialEvents",
                                  "listProducts"])
def test_each_erp_step_runs_through_the_sailor(topology, platform, cipher, world, step, api):
    from .conftest import sailor_env

    sandbox, url, _ = world
    fields, body, at_least = _inputs(sandbox)[step]
    creds = sandbox.sp_api_credentials(url) if api == "sp-api" else sandbox.credentials(url)
    platform.steps[("flow-1", "step_2")] = step_data({**creds, **fields})
    published = []
    with running_sailor(sailor_env(topology, platform, step), root=COMPONENT_ROOT):
        topology.publish_input({"body": body}, cipher=cipher)
        while (item := topology.get("data", timeout=2.0)) is not None:
            published.append(cipher.decode(item[1], 1)["body"])
        error = topology.get("error", timeout=0.2)
    assert error is None, cipher.decode(error[1], 1) if error else None
    assert len(published) >= at_least, (step, api, published[:2])
    assert all(SHAPE[step](message) for message in published), published[:2]
    assert topology.input_state() == (0, 0)  # acked, nothing left for redelivery
    text = repr(published)
    for secret in (creds.get("secretKey"), creds.get("lwaClientSecret"), creds.get("refreshToken")):
        assert not secret or secret not in text
