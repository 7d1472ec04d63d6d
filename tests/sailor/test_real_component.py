"""The real listOrders trigger through the sailor, against the MWS sandbox over loopback HTTP.

The sandbox and the MWS client share a simulated clock (``lib.connection.override``), so request
pacing costs no real time; the sailor, broker and platform API are the real ones (in-process sailor).
"""

from __future__ import annotations

import io

import pytest
from eiosdk.logging import configure
from mws_sandbox import Sandbox, serve

from mws_component import COMPONENT_ROOT
from mws_component.lib.connection import override
from mws_component.lib.mws.clock import ManualClock

from .conftest import json_body, sailor_env, step_data
from .harness import running_sailor

pytestmark = pytest.mark.rabbitmq

@pytest.fixture
def sandbox_url():
    clock = ManualClock(1_767_225_600.0)  # 2026-01-01T00:00:00Z
    sandbox = Sandbox(clock=clock, seed=7, orders=40)
    with serve(sandbox) as server, override(clock=clock):
        yield sandbox, server.url


def drain(topology, role, timeout=1.5):
    found = []
    while (item := topology.get(role, timeout=timeout)) is not None:
        found.append(item)
    return found


def test_list_orders_polls_through_the_sailor(topology, platform, cipher, sandbox_url, monkeypatch):
    sandbox, url = sandbox_url
    cfg = {**sandbox.credentials(url), "orderStatus": [], "maxResultsPerPage": 10}
    platform.steps[("flow-1", "step_2")] = step_data(cfg)
    logs = io.StringIO()
    monkeypatch.setenv("LOG_LEVEL", "debug")
    configure(stream=logs)
    try:
        with running_sailor(sailor_env(topology, platform, "listOrders"), root=COMPONENT_ROOT):
            topology.publish_input({"body": {}}, cipher=cipher)
            first = drain(topology, "data")
            snapshots = drain(topology, "snapshot", timeout=0.3)
            topology.publish_input({"body": {}}, cipher=cipher)  # next tick: nothing changed since
            second = drain(topology, "data", timeout=1.0)
            assert topology.get("error", timeout=0.2) is None
    finally:
        configure(stream=None)
    orders = [cipher.decode(body, 1)["body"] for _, body in first]
    assert orders, "the first poll emitted no order"
    ids = [o["amazonOrderId"] for o in orders]
    assert len(ids) == len(set(ids))
    assert all(props.headers["function"] == "listOrders" for props, _ in first)
    assert snapshots and all(p.headers["snapshotEvent"] == "snapshot" for p, _ in snapshots)
    assert isinstance(json_body(snapshots[-1][1]), dict)
    assert second == []  # the in-memory snapshot moved the cursor past every order
    assert topology.input_state() == (0, 0)
    text = logs.getvalue()
    assert cfg["secretKey"] not in text and cfg["mwsAuthToken"] not in text


def test_list_order_items_action_through_the_sailor_with_protocol_2(topology, platform, cipher, sandbox_url):
    sandbox, url = sandbox_url
    cfg = sandbox.credentials(url)
    platform.steps[("flow-1", "step_2")] = step_data(cfg)
    with running_sailor(sailor_env(topology, platform, "listOrders"), root=COMPONENT_ROOT):
        topology.publish_input({"body": {}}, cipher=cipher)
        props, body = topology.get("data")
    order_id = cipher.decode(body, 1)["body"]["amazonOrderId"]
    with running_sailor(sailor_env(topology, platform, "listOrderItems", PROTOCOL_VERSION=2), root=COMPONENT_ROOT):
        message_id = topology.publish_input({"body": {"amazonOrderId": order_id}}, cipher=cipher, protocol=2)
        found = None
        while (item := topology.get("data", timeout=2)) is not None:
            if item[0].headers["parentMessageId"] == message_id:
                found = item
                break
    assert found is not None, "listOrderItems published nothing for its input"
    props, body = found
    assert props.headers["protocolVersion"] == 2 and props.headers["function"] == "listOrderItems"
    result = cipher.decode(body, 2)["body"]
    assert result["amazonOrderId"] == order_id and result["orderItems"]
    assert topology.get("error", timeout=0.2) is None
