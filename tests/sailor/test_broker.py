"""The sailor over a real RabbitMQ: encrypted messages in and out, routing, ack/reject, rebound, reconnect.

Each test declares its own durable direct exchange and queues (as the platform would) and deletes them
afterwards; the platform API is a loopback fake. In-process sailors run on a thread.
"""

from __future__ import annotations

import json
import threading
import time

import pytest
from eiosdk.sailor.runtime import Sailor
from eiosdk.sailor.settings import load_settings

from .conftest import FIXTURE_COMPONENT, json_body, sailor_env, step_data
from .harness import TcpProxy, run_sailor_until_exit, running_sailor, wait_for

pytestmark = pytest.mark.rabbitmq

CONTAINER_KEYS = {"execId": "exec-1", "taskId": "flow-1", "workspaceId": "ws-1", "containerId": "container-1",
                  "userId": "user-1", "stepId": "step_2", "compId": "comp-1"}


def test_action_reads_protocol_1_and_2_and_writes_protocol_2(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data({"apiKey": "key-for-protocol-test-8812"})
    env = sailor_env(topology, platform, "passthrough", PROTOCOL_VERSION=2)
    with running_sailor(env):
        id1 = topology.publish_input({"body": {"n": 1}}, cipher=cipher, protocol=1,
                                     headers={"x-eio-meta-Trace": "tr-9", "parentMessageId": "p0"})
        id2 = topology.publish_input({"body": {"n": 2}}, cipher=cipher, protocol=2)
        outs = [topology.get("data"), topology.get("data")]
    assert all(outs), "no data message published"
    by_parent = {props.headers["parentMessageId"]: (props, body) for props, body in outs}
    props, body = by_parent[id1]
    assert cipher.decode(body, 2)["body"] == {"n": 1}
    h = props.headers
    assert {k: h[k] for k in CONTAINER_KEYS} == CONTAINER_KEYS
    assert h["function"] == "passthrough" and h["threadId"] == "thread-1" and h["protocolVersion"] == 2
    assert h["x-eio-meta-trace"] == "tr-9" and h["end"] >= h["start"] > 0
    assert h["messageId"] not in (id1, id2)
    assert props.content_type == "application/json" and props.content_encoding == "utf8"
    assert cipher.decode(by_parent[id2][1], 2)["body"] == {"n": 2}
    assert topology.input_state() == (0, 0)  # both acked, consumer gone


def test_trigger_runs_hooks_and_publishes_data_and_snapshot(topology, platform, cipher, tmp_path):
    marker = tmp_path / "init"
    platform.steps[("flow-1", "step_2")] = step_data({"account": "acc-7", "marker": str(marker)},
                                                     snapshot={"n": 41}, variables={"region": "eu"})
    env = sailor_env(topology, platform, "tick", STARTUP_REQUIRED="true")
    with running_sailor(env):
        assert marker.read_text() == "init\n"
        assert platform.startup["flow-1"] == {"startedWith": "acc-7"}
        topology.publish_input({"body": {}}, cipher=cipher)
        data = topology.get("data")
        snap = topology.get("snapshot")
    assert cipher.decode(data[1], 1)["body"] == {"n": 42, "vars": {"region": "eu"}}
    assert data[0].headers["protocolVersion"] == 1
    assert json_body(snap[1]) == {"n": 42}
    assert snap[0].headers["snapshotEvent"] == "updateSnapshot"
    assert "end" not in snap[0].headers


def test_error_is_routed_with_error_input_and_the_input_rejected(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data({"apiKey": "secret-api-key-55"})
    with running_sailor(sailor_env(topology, platform, "fail")):
        message_id = topology.publish_input({"body": {"sku": "X"}}, cipher=cipher)
        props, body = topology.get("error")
        assert wait_for(lambda: topology.input_state()[0] == 0)
    payload = json_body(body)
    assert cipher.decode(payload["errorInput"], 1) == {"body": {"sku": "X"}}
    error = cipher.decode(payload["error"], 1)
    assert error["name"] == "ValueError" and "secret-api-key-55" not in json.dumps(error)
    assert props.headers["parentMessageId"] == message_id and "end" in props.headers
    assert topology.get("data", timeout=0.3) is None
    assert topology.depth(topology.input_queue) == 0  # rejected without requeue: gone


def test_rebound_doubles_the_ttl_and_stops_at_the_limit(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data()
    with running_sailor(sailor_env(topology, platform, "rebound", REBOUND_LIMIT=3)):
        topology.publish_input({"body": {"try": 1}}, cipher=cipher)
        first = topology.get("rebound")
        topology.publish_input({"body": {"try": 3}}, cipher=cipher, headers={"reboundIteration": 2})
        third = topology.get("rebound")
        topology.publish_input({"body": {"try": 4}}, cipher=cipher, headers={"reboundIteration": 3})
        over = topology.get("error")
    assert first[0].expiration == "15000" and first[0].headers["reboundIteration"] == 1
    assert first[0].headers["reboundReason"] == "resource locked, try later"
    assert cipher.decode(first[1], 1) == {"body": {"try": 1}}  # the original bytes, republished
    assert third[0].expiration == "60000" and third[0].headers["reboundIteration"] == 3
    assert cipher.decode(json_body(over[1])["error"], 1)["message"] == "Rebound limit exceeded"
    assert topology.input_state() == (0, 0)


def test_http_reply_goes_to_the_reply_to_routing_key(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data()
    with running_sailor(sailor_env(topology, platform, "reply")):
        topology.publish_input({"body": {"q": "?"}}, cipher=cipher, headers={"reply_to": topology.keys["reply"]})
        props, body = topology.get("reply")
    assert cipher.decode(body, 1) == {"statusCode": 201, "body": {"echo": {"q": "?"}}, "headers": {"x-test": "1"}}
    assert props.headers["protocolVersion"] == 1


def test_undecryptable_input_is_rejected(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data()
    with running_sailor(sailor_env(topology, platform, "passthrough")):
        topology.publish_input(body=b"this is not ciphertext")
        assert wait_for(lambda: topology.input_state()[0] == 0)
        topology.publish_input({"body": {"ok": True}}, cipher=cipher)
        assert topology.get("data") is not None  # the sailor keeps going
    assert topology.depth(topology.input_queue) == 0


def test_oversized_output_is_reported_as_an_error(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data()
    with running_sailor(sailor_env(topology, platform, "big", OUTGOING_MESSAGE_SIZE_LIMIT=1000)):
        topology.publish_input({"body": {}}, cipher=cipher)
        props, body = topology.get("error")
    assert "exceeds limit of 1000" in cipher.decode(json_body(body)["error"], 1)["message"]
    assert topology.get("data", timeout=0.2) is None


def test_input_is_acked_only_after_the_step_finished(topology, platform, cipher, tmp_path):
    marker = tmp_path / "started"
    platform.steps[("flow-1", "step_2")] = step_data({"marker": str(marker), "seconds": 0.5})
    settled: list[tuple[bool, float]] = []
    with running_sailor(sailor_env(topology, platform, "slow")) as sailor:
        real_settle = sailor.consumer.settle

        def spy(delivery, ack):
            settled.append((ack, time.time() * 1000))
            return real_settle(delivery, ack)

        sailor.consumer.settle = spy
        topology.publish_input({"body": {"n": 1}}, cipher=cipher)
        assert wait_for(marker.exists)
        assert settled == [] and sailor.in_flight == 1
        assert topology.input_state()[0] == 0  # delivered, not acked: held by the sailor
        props, _ = topology.get("data")
        assert wait_for(lambda: settled)
    [(ack, when)] = settled
    assert ack is True and when >= props.headers["end"]  # acked once, after the step's output went out
    assert topology.depth(topology.input_queue) == 0


def test_prefetch_runs_messages_concurrently(topology, platform, cipher, tmp_path):
    marker = tmp_path / "started"
    platform.steps[("flow-1", "step_2")] = step_data({"marker": str(marker), "seconds": 2})
    with running_sailor(sailor_env(topology, platform, "slow", RABBITMQ_PREFETCH_SAILOR=3)):
        for n in range(3):
            topology.publish_input({"body": {"n": n}}, cipher=cipher)
        started = wait_for(lambda: marker.exists() and len(marker.read_text().split()) == 3, timeout=1.5)
        assert started, "three messages did not run at the same time with prefetch 3"
        outs = [topology.get("data") for _ in range(3)]
    assert sorted(cipher.decode(b, 1)["body"]["done"] for _, b in outs) == [0, 1, 2]


def test_concurrent_messages_keep_the_order_of_their_own_events(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data({"count": 5})
    ids = {topology.publish_input({"body": {"n": n}}, cipher=cipher): n for n in range(4)}  # waiting: all at once
    with running_sailor(sailor_env(topology, platform, "burst", RABBITMQ_PREFETCH_SAILOR=4)):
        outs = [topology.get("data") for _ in range(20)]
        assert wait_for(lambda: topology.input_state()[0] == 0)
    assert all(outs), "not every emitted message was published"
    by_input: dict[int, list[int]] = {}
    for props, body in outs:
        message = cipher.decode(body, 1)["body"]
        assert ids[props.headers["parentMessageId"]] == message["n"]
        by_input.setdefault(message["n"], []).append(message["seq"])
    assert by_input == {n: [0, 1, 2, 3, 4] for n in range(4)}
    parents = [props.headers["parentMessageId"] for props, _ in outs]
    assert parents != sorted(parents, key=lambda p: ids[p]), "the four messages did not run concurrently"
    assert topology.depth(topology.input_queue) == 0


def test_reconnects_after_the_connections_drop(topology, platform, cipher):
    platform.steps[("flow-1", "step_2")] = step_data()
    proxy = TcpProxy()
    env = sailor_env(topology, platform, "passthrough", AMQP_URI=proxy.uri(), AMQP_RECONNECT_TIMEOUT=200)
    try:
        with running_sailor(env):
            topology.publish_input({"body": {"n": 1}}, cipher=cipher)
            assert topology.get("data") is not None
            proxy.drop_all()
            topology.publish_input({"body": {"n": 2}}, cipher=cipher)
            props, body = topology.get("data", timeout=20)
            assert cipher.decode(body, 1)["body"] == {"n": 2}
        assert proxy.accepted >= 4  # read + write, then both again
    finally:
        proxy.close()


def test_a_broker_gone_for_good_ends_the_run_with_1(topology, platform):
    platform.steps[("flow-1", "step_2")] = step_data()
    proxy = TcpProxy()
    env = sailor_env(topology, platform, "passthrough", AMQP_URI=proxy.uri(), AMQP_RECONNECT_ATTEMPTS=1,
                     AMQP_RECONNECT_TIMEOUT=10)
    sailor = Sailor(load_settings(env), FIXTURE_COMPONENT)
    result: dict[str, int] = {}
    thread = threading.Thread(target=lambda: result.update(code=sailor.run()), daemon=True)
    thread.start()
    try:
        assert sailor.ready.wait(20), "sailor did not start"
        proxy.close()  # connections cut, and no new one accepted: the reconnects run out
        thread.join(20)
    finally:
        sailor.request_stop()
        thread.join(10)
    assert result.get("code") == 1  # the platform restarts the container


def test_startup_failure_is_published_and_exits_1(topology, platform, cipher):
    # no step data for this flow/step: the API answers 404
    assert run_sailor_until_exit(sailor_env(topology, platform, "passthrough")) == 1
    props, body = topology.get("error")
    payload = json_body(body)
    assert "errorInput" not in payload
    assert "404" in cipher.decode(payload["error"], 1)["message"]
    assert {k: props.headers[k] for k in CONTAINER_KEYS} == CONTAINER_KEYS


def test_stop_while_idle_returns_promptly(topology, platform):
    platform.steps[("flow-1", "step_2")] = step_data()
    done = threading.Event()
    with running_sailor(sailor_env(topology, platform, "passthrough")):
        done.set()
    assert done.is_set() and topology.input_state() == (0, 0)
