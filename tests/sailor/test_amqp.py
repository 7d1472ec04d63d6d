"""The AMQP layer on its own: pipelined confirms, returns, refusals, retries after a drop, generations.

Most tests run the ``Publisher``/``Consumer`` on an asyncio loop against the real broker (a per-test
topology); the confirm bookkeeping is also checked with hand-made frames, since a broker nack cannot
be provoked on demand.
"""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

import pika
import pytest
from eiosdk.logging import get_logger
from eiosdk.sailor.amqp import Consumer, Nacked, Publisher, PublishError, _InFlight, connect
from eiosdk.sailor.outgoing import Outgoing

from .conftest import AMQP_URI
from .harness import TcpProxy, wait_for

PROPS = {"content_type": "application/json", "headers": {"messageId": "m-1"}}


def out(key: str, n: int) -> Outgoing:
    return Outgoing(key, f'{{"n":{n}}}'.encode(), PROPS)


def drain(topology, queue: str) -> list[tuple[object, bytes]]:
    """Every message waiting on ``queue`` as (properties, body), in queue order."""
    found = []
    while (got := topology.get_from(queue, timeout=0.5)) is not None:
        found.append(got)
    return found


def spy_confirms(publisher: Publisher, on_frame=None) -> list[int]:
    """Record how many publishes were in flight whenever a confirm came (set before ``start``)."""
    seen: list[int] = []
    original = publisher._on_confirm

    def spy(frame):
        seen.append(len(publisher._in_flight))
        if on_frame is None or on_frame(frame):
            original(frame)

    publisher._on_confirm = spy
    return seen


@pytest.mark.rabbitmq
def test_publishes_are_pipelined_each_confirmed_and_kept_in_order(topology):
    key = topology.keys["data"]

    async def scenario():
        publisher = Publisher(AMQP_URI, topology.exchange)
        in_flight = spy_confirms(publisher)
        await publisher.start()
        try:
            return await asyncio.gather(*(publisher.publish(out(key, n)) for n in range(100))), in_flight
        finally:
            await publisher.close()

    results, in_flight = asyncio.run(scenario())
    assert results == [True] * 100
    assert max(in_flight) > 1, "every publish waited for the previous confirm: nothing was pipelined"
    bodies = [body for _, body in drain(topology, topology.queues["data"])]
    assert bodies == [f'{{"n":{n}}}'.encode() for n in range(100)]  # one channel: publish order kept


@pytest.mark.rabbitmq
def test_only_the_unroutable_publishes_answer_false(topology):
    routed, nowhere = topology.keys["data"], f"{topology.prefix}.nobody-listens"

    async def scenario():
        publisher = Publisher(AMQP_URI, topology.exchange)
        await publisher.start()
        try:
            return await asyncio.gather(*(publisher.publish(out(nowhere if n % 3 == 1 else routed, n))
                                          for n in range(30)))
        finally:
            await publisher.close()

    assert asyncio.run(scenario()) == [n % 3 != 1 for n in range(30)]
    assert len(drain(topology, topology.queues["data"])) == 20


@pytest.mark.rabbitmq
def test_a_missing_exchange_is_refused_at_once_not_retried():
    async def scenario():
        publisher = Publisher(AMQP_URI, f"missing-{uuid.uuid4().hex[:8]}", retry_delay_ms=60_000)
        await publisher.start()
        try:
            for _ in range(2):  # the next publish reconnects and is refused again, without a retry delay
                with pytest.raises(PublishError, match="refused.*404"):
                    await asyncio.wait_for(publisher.publish(out("any", 1)), 10)
        finally:
            await publisher.close()

    asyncio.run(scenario())


@pytest.mark.rabbitmq
def test_publishes_in_flight_when_the_connection_drops_are_published_again(topology):
    proxy = TcpProxy()
    key = topology.keys["data"]

    def drop_instead_of_the_first_confirm(_frame) -> bool:
        if proxy.accepted == 1:
            proxy.drop_all()
            return False
        return True

    async def scenario():
        publisher = Publisher(proxy.uri(), topology.exchange, retry_delay_ms=10, reconnect_delay_ms=10)
        spy_confirms(publisher, drop_instead_of_the_first_confirm)
        await publisher.start()
        try:
            return await asyncio.wait_for(asyncio.gather(*(publisher.publish(out(key, n)) for n in range(50))), 30)
        finally:
            await publisher.close()

    try:
        results = asyncio.run(scenario())
    finally:
        proxy.close()
    assert results == [True] * 50
    assert proxy.accepted == 2
    got = drain(topology, topology.queues["data"])
    assert {body for _, body in got} == {f'{{"n":{n}}}'.encode() for n in range(50)}
    retried = [props for props, _ in got if props.headers.get("retry") == 1]
    assert retried, "nothing was published again after the drop"
    assert all(props.headers["messageId"] == "m-1" for props in retried)  # the rest of the headers kept


def test_confirms_settle_by_tag_multiple_and_nack():
    async def scenario():
        loop = asyncio.get_running_loop()
        publisher = Publisher("amqp://guest:guest@127.0.0.1:1/%2F", "x")
        waiting = {tag: _InFlight(out("k", tag), loop.create_future()) for tag in range(1, 6)}
        publisher._in_flight = dict(waiting)
        waiting[2].returned = True
        publisher._on_confirm(SimpleNamespace(method=pika.spec.Basic.Ack(delivery_tag=3, multiple=True)))
        assert [waiting[t].future.result() for t in (1, 2, 3)] == [True, False, True]  # 2 came back unroutable
        assert not waiting[4].future.done() and not waiting[5].future.done()
        publisher._on_confirm(SimpleNamespace(method=pika.spec.Basic.Nack(delivery_tag=5, multiple=False)))
        with pytest.raises(Nacked):
            waiting[5].future.result()
        assert list(publisher._in_flight) == [4]

    asyncio.run(scenario())


def test_a_return_marks_the_oldest_matching_publish():
    async def scenario():
        loop = asyncio.get_running_loop()
        publisher = Publisher("amqp://guest:guest@127.0.0.1:1/%2F", "x")
        first, other, second = out("a", 1), out("b", 1), out("a", 1)
        publisher._in_flight = {t: _InFlight(o, loop.create_future()) for t, o in enumerate((first, other, second), 1)}
        publisher._on_return(None, SimpleNamespace(routing_key="a"), None, first.body)
        return [w.returned for w in publisher._in_flight.values()]

    assert asyncio.run(scenario()) == [True, False, False]


@pytest.mark.rabbitmq
def test_consumer_reconnects_and_settles_only_the_current_generation(topology, cipher):
    proxy = TcpProxy()

    async def scenario():
        received: asyncio.Queue = asyncio.Queue()
        consumer = Consumer(proxy.uri(), topology.input_queue, 5, received.put_nowait, reconnect_delay_ms=10)
        await consumer.connect()
        consumer.start()
        try:
            topology.publish_input({"body": {"n": 1}}, cipher=cipher)
            first = await asyncio.wait_for(received.get(), 10)
            proxy.drop_all()
            again = await asyncio.wait_for(received.get(), 10)
            settled = consumer.settle(first, True), consumer.settle(again, True)
            await asyncio.sleep(0.1)  # let the ack frame go out before closing
            return first, again, settled
        finally:
            await consumer.close()

    try:
        first, again, settled = asyncio.run(scenario())
    finally:
        proxy.close()
    assert (first.generation, first.redelivered) == (1, False)
    assert (again.generation, again.redelivered, again.body) == (2, True, first.body)
    assert settled == (False, True)  # the first tag belonged to the lost channel
    assert wait_for(lambda: topology.input_state() == (0, 0))  # acked: not back on the queue


@pytest.mark.rabbitmq
def test_a_link_lost_while_it_is_set_up_is_a_failed_attempt_not_a_dead_link():
    async def scenario():
        tried, lost = [], []

        async def setup(link):
            tried.append(link)
            if len(tried) == 1:  # the first connection goes away in the middle of its set-up
                link.connection.close()
                await asyncio.sleep(0.3)

        link = await connect(AMQP_URI, "test", lambda gone, _reason: lost.append(gone), setup, attempts=2,
                             delay_ms=10, log=get_logger("test"))
        try:
            return tried, lost, link, (link.channel.is_open, link.closing)
        finally:
            await link.close()

    tried, lost, link, state = asyncio.run(scenario())
    assert len(tried) == 2 and link is tried[1] and state == (True, False)
    assert lost == [tried[0]]
