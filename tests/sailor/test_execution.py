"""One delivery through a real fixture step with an in-memory bus: what is published, when it is settled."""

from __future__ import annotations

import asyncio
import json

import pytest
from eiosdk.component import Component
from eiosdk.sailor.bus import MemoryBus
from eiosdk.sailor.delivery import Delivery
from eiosdk.sailor.execution import MessageHandler, StepState
from eiosdk.sailor.settings import load_settings

from .conftest import CRYPTO_IV, CRYPTO_PASSWORD, FIXTURE_COMPONENT
from .test_settings import BASE

COMPONENT = Component.load(FIXTURE_COMPONENT)


def make(function: str, cipher, config=None, redelivery_wait: float = 5.0, **env) -> tuple[MessageHandler, MemoryBus]:
    settings = load_settings({**BASE, "ELASTICIO_MESSAGE_CRYPTO_PASSWORD": CRYPTO_PASSWORD,
                              "ELASTICIO_MESSAGE_CRYPTO_IV": CRYPTO_IV, "ELASTICIO_FUNCTION": function, **env})
    state = StepState(settings, cipher, COMPONENT.load_step(function),
                      {"config": config or {}, "snapshot": {"n": 1}, "variables": {"v": 1}})
    bus = MemoryBus()
    return MessageHandler(state, bus, redelivery_wait=redelivery_wait), bus


def delivery(cipher, message, tag=1, message_id="in-1", generation=0, **headers) -> Delivery:
    head = {"messageId": message_id, "threadId": "th", **headers}
    return Delivery(tag=tag, body=cipher.encode(message), properties={"headers": head}, generation=generation)


def run(coro):
    return asyncio.run(coro)


def test_data_then_ack_after_the_step(cipher):
    handler, bus = make("passthrough", cipher)
    run(handler.handle(delivery(cipher, {"body": {"sku": "A1"}})))
    [out] = bus.published
    assert out.routing_key == handler.state.settings.data_routing_key
    assert cipher.decode(out.body)["body"] == {"sku": "A1"}
    assert out.headers["parentMessageId"] == "in-1" and out.headers["threadId"] == "th"
    assert bus.settled == [(1, True)]


def test_error_rejects_without_requeue_and_publishes_error_input(cipher):
    handler, bus = make("fail", cipher, {"apiKey": "k-123"})
    source = delivery(cipher, {"body": {"sku": "B"}})
    run(handler.handle(source))
    [out] = bus.published
    assert out.routing_key == handler.state.settings.error_routing_key
    payload = json.loads(out.body)
    assert payload["errorInput"] == source.body.decode()
    error = cipher.decode(payload["error"])
    assert error["name"] == "ValueError"
    assert "k-123" not in error["message"]  # the step quoted its secret; the payload does not
    assert bus.settled == [(1, False)]


def test_rebound_is_not_an_error(cipher):
    handler, bus = make("rebound", cipher)
    run(handler.handle(delivery(cipher, {"body": {}})))
    [out] = bus.published
    assert out.routing_key == handler.state.settings.rebound_routing_key
    assert out.properties["expiration"] == "15000"
    assert bus.settled == [(1, True)]


def test_undecryptable_delivery_is_rejected_and_never_run(cipher):
    handler, bus = make("passthrough", cipher)
    run(handler.handle(Delivery(tag=3, body=b"garbage", properties={"headers": {"messageId": "x"}})))
    assert bus.published == [] and bus.settled == [(3, False)]


def test_oversized_output_becomes_the_step_error(cipher):
    handler, bus = make("big", cipher, ELASTICIO_OUTGOING_MESSAGE_SIZE_LIMIT="1000")
    run(handler.handle(delivery(cipher, {"body": {}})))
    [out] = bus.published
    assert out.routing_key == handler.state.settings.error_routing_key
    assert "exceeds limit of 1000" in cipher.decode(json.loads(out.body)["error"])["message"]
    assert bus.settled == [(1, False)]


def test_trigger_data_and_snapshot_update_the_state(cipher):
    handler, bus = make("tick", cipher)
    run(handler.handle(delivery(cipher, {"body": {}})))
    data, snap = bus.published
    assert cipher.decode(data.body)["body"] == {"n": 2, "vars": {"v": 1}}
    assert json.loads(snap.body) == {"n": 2} and snap.headers["snapshotEvent"] == "updateSnapshot"
    assert handler.state.snapshot == {"n": 2}
    run(handler.handle(delivery(cipher, {"body": {}}, tag=2, message_id="in-2")))
    assert cipher.decode(bus.published[2].body)["body"]["n"] == 3


def test_http_reply_without_reply_to_is_an_error(cipher):
    handler, bus = make("reply", cipher)
    run(handler.handle(delivery(cipher, {"body": {}})))
    assert [o.routing_key for o in bus.published] == [handler.state.settings.error_routing_key]
    assert bus.settled == [(1, False)]


def test_http_reply_goes_to_reply_to(cipher):
    handler, bus = make("reply", cipher)
    run(handler.handle(delivery(cipher, {"body": {"q": 1}}, reply_to="gw-queue")))
    [out] = bus.published
    assert out.routing_key == "gw-queue"
    assert cipher.decode(out.body)["body"] == {"echo": {"q": 1}}
    assert bus.settled == [(1, True)]


def test_a_redelivery_of_a_running_message_is_settled_by_the_first_run(cipher, tmp_path):
    handler, bus = make("slow", cipher, {"marker": str(tmp_path / "m"), "seconds": 0.3})

    async def both():
        first = asyncio.create_task(handler.handle(delivery(cipher, {"body": {"n": 1}}, tag=1)))
        await asyncio.sleep(0.05)
        await handler.handle(delivery(cipher, {"body": {"n": 1}}, tag=2))  # same messageId, newer tag
        await first

    run(both())
    assert len(bus.routed(handler.state.settings.data_routing_key)) == 1
    assert bus.settled == [(2, True)]


@pytest.mark.parametrize("prefetch", [3])
def test_messages_run_concurrently(cipher, tmp_path, prefetch):
    handler, bus = make("slow", cipher, {"marker": str(tmp_path / "m"), "seconds": 0.4})

    async def many():
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.gather(*(handler.handle(delivery(cipher, {"body": {"n": i}}, tag=i, message_id=f"m{i}"))
                               for i in range(prefetch)))
        return loop.time() - start

    elapsed = run(many())
    assert elapsed < 0.4 * prefetch * 0.8
    assert sorted(t for t, _ in bus.settled) == list(range(prefetch))


def test_after_a_reconnect_the_run_settles_the_redelivery_instead_of_running_twice(cipher, tmp_path):
    handler, bus = make("passthrough", cipher)

    async def scenario():
        bus.generation = 1  # the consumer reconnected while this delivery (generation 0) was running
        first = asyncio.create_task(handler.handle(delivery(cipher, {"body": {"n": 1}}, tag=1)))
        await asyncio.sleep(0.1)  # the run ended and now waits for the redelivery
        assert bus.settled == [] and len(bus.published) == 1
        await handler.handle(delivery(cipher, {"body": {"n": 1}}, tag=9, generation=1))
        await first

    run(scenario())
    assert len(bus.published) == 1  # the redelivery was not run again
    assert bus.settled == [(9, True)]  # the delivery on the live channel


def test_without_a_redelivery_the_wait_is_bounded(cipher):
    handler, bus = make("passthrough", cipher, redelivery_wait=0.05)
    bus.generation = 1
    run(handler.handle(delivery(cipher, {"body": {}}, tag=4)))
    assert bus.settled == [(4, True)]  # handed to the consumer, which skips tags of a lost channel


@pytest.mark.parametrize(("function", "verdict"), [("passthrough", True), ("fail", False)])
def test_a_redelivery_after_a_lost_ack_is_settled_with_the_first_verdict_not_run_again(cipher, function, verdict):
    """The run ended and its ack went out, then the connection dropped before the broker had it: the
    broker redelivers on the new channel, and running it again would publish its output twice."""
    handler, bus = make(function, cipher, {"apiKey": "k-123"})

    async def scenario():
        await handler.handle(delivery(cipher, {"body": {"n": 1}}, tag=1, generation=0))
        bus.generation = 1  # reconnected
        redelivered = delivery(cipher, {"body": {"n": 1}}, tag=7, generation=1)
        await handler.handle(Delivery(redelivered.tag, redelivered.body, redelivered.properties, generation=1,
                                      redelivered=True))
        fresh = delivery(cipher, {"body": {"n": 1}}, tag=8, generation=1)  # same id, not a redelivery: runs
        await handler.handle(fresh)

    run(scenario())
    assert len(bus.published) == 2  # the first run and the fresh delivery; the redelivery published nothing
    assert bus.settled == [(1, verdict), (7, verdict), (8, verdict)]
