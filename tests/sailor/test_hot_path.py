"""The per-message fast paths of the sailor keep its rules: acks, header bytes, ids, redaction, threads.

Ack coalescing is checked against a model of the broker's channel: ``basic.ack(tag, multiple=True)``
acks every unacked delivery up to ``tag``, so it must never reach a delivery whose run has not ended
or that was rejected.
"""

from __future__ import annotations

import asyncio
import decimal
import random
import socket
import threading
import uuid
from types import SimpleNamespace

import pika
import pytest
from eiosdk import executor, ids
from eiosdk import logging as eiosdk_logging
from eiosdk.executor import scrub
from eiosdk.logging import Redactor
from eiosdk.message import Message
from eiosdk.sailor.amqp import Consumer, Properties, _encode_pair, _PlaintextTransport, _send_now
from eiosdk.sailor.loop import LoopThread


class BrokerChannel:
    """A channel as the broker sees it: which deliveries are unacked, and what each frame settled."""

    def __init__(self) -> None:
        self.unacked: set[int] = set()
        self.acked: set[int] = set()
        self.rejected: set[int] = set()
        self.frames: list[tuple] = []

    def basic_ack(self, tag: int, multiple: bool = False) -> None:
        self.frames.append(("ack", tag, multiple))
        covered = {t for t in self.unacked if t <= tag} if multiple else {tag}
        assert covered <= self.unacked, f"ack of a delivery that is not unacked: {covered - self.unacked}"
        self.unacked -= covered
        self.acked |= covered

    def basic_reject(self, tag: int, requeue: bool = True) -> None:
        assert not requeue
        self.frames.append(("reject", tag))
        assert tag in self.unacked
        self.unacked.discard(tag)
        self.rejected.add(tag)


def consumer_on(channel: BrokerChannel) -> tuple[Consumer, list]:
    received: list = []
    consumer = Consumer("amqp://unused", "q", 10, received.append)
    consumer._link = SimpleNamespace(channel=channel)
    consumer.generation = 1
    return consumer, received


def deliver(consumer: Consumer, channel: BrokerChannel, tag: int) -> None:
    channel.unacked.add(tag)
    consumer._on_message(None, SimpleNamespace(delivery_tag=tag, redelivered=False), pika.BasicProperties(), b"x")


async def next_turn() -> None:
    await asyncio.sleep(0)
    await asyncio.sleep(0)


def test_acks_due_in_one_turn_go_out_as_one_multiple_ack():
    async def scenario():
        channel = BrokerChannel()
        consumer, got = consumer_on(channel)
        for tag in range(1, 6):
            deliver(consumer, channel, tag)
        for delivery in (got[1], got[0], got[2]):  # runs 2, 1 and 3 end in this turn
            assert consumer.settle(delivery, True)
        assert channel.frames == []  # nothing written before the end of the turn
        await next_turn()
        return channel

    channel = asyncio.run(scenario())
    assert channel.frames == [("ack", 3, True)]
    assert channel.unacked == {4, 5}  # still running: not covered


def test_a_delivery_still_running_is_never_covered_and_the_ones_behind_it_are_not_held():
    async def scenario():
        channel = BrokerChannel()
        consumer, got = consumer_on(channel)
        for tag in (1, 2, 3):
            deliver(consumer, channel, tag)
        consumer.settle(got[1], True)
        consumer.settle(got[2], True)
        await next_turn()
        first = list(channel.frames)
        consumer.settle(got[0], True)
        await next_turn()
        return channel, first

    channel, first = asyncio.run(scenario())
    assert first == [("ack", 2, False), ("ack", 3, False)]  # 1 still runs: one by one, at once
    assert channel.frames[2:] == [("ack", 1, False)] and channel.acked == {1, 2, 3}


def test_a_rejected_delivery_is_settled_at_once_and_never_covered_by_a_multiple_ack():
    async def scenario():
        channel = BrokerChannel()
        consumer, got = consumer_on(channel)
        for tag in (1, 2, 3):
            deliver(consumer, channel, tag)
        consumer.settle(got[0], True)
        consumer.settle(got[1], False)
        assert channel.frames == [("reject", 2)]
        consumer.settle(got[2], True)
        await next_turn()
        return channel

    channel = asyncio.run(scenario())
    assert channel.rejected == {2} and channel.acked == {1, 3} and not channel.unacked


@pytest.mark.parametrize("seed", range(30))
def test_random_settle_orders_ack_exactly_what_ended_well(seed):
    rng = random.Random(seed)

    async def scenario():
        channel = BrokerChannel()
        consumer, got = consumer_on(channel)
        verdicts: dict[int, bool] = {}
        running: list = []
        tag = 0
        for _turn in range(40):
            for _ in range(rng.randint(0, 4)):
                tag += 1
                deliver(consumer, channel, tag)
                running.append(got[-1])
            rng.shuffle(running)
            for delivery in running[:rng.randint(0, len(running))]:
                running.remove(delivery)
                verdicts[delivery.tag] = rng.random() < 0.8
                consumer.settle(delivery, verdicts[delivery.tag])
                # at any moment the broker holds every delivery whose run has not ended
                assert {d.tag for d in running} <= channel.unacked
            await next_turn()
            assert channel.acked == {t for t, ok in verdicts.items() if ok}
            assert channel.rejected == {t for t, ok in verdicts.items() if not ok}
        return channel

    asyncio.run(scenario())


def test_acks_of_a_lost_channel_are_not_written_on_the_new_one_and_close_writes_what_is_due():
    async def scenario():
        old = BrokerChannel()
        consumer, got = consumer_on(old)
        deliver(consumer, old, 1)
        consumer.settle(got[0], True)
        consumer._lost(consumer._link, ConnectionError("gone"))  # before the turn ended
        consumer._reconnecting.cancel()
        new = BrokerChannel()
        consumer._link, consumer.generation = SimpleNamespace(channel=new), 2
        deliver(consumer, new, 1)
        stale = consumer.settle(got[0], True)
        await next_turn()
        consumer.settle(got[1], True)
        consumer._write_acks()  # what close() does first
        return old, new, stale

    old, new, stale = asyncio.run(scenario())
    assert old.frames == [] and stale is False
    assert new.frames == [("ack", 1, False)]


HEADERS = [
    {"stepId": "step_1", "threadId": "t-1", "messageId": str(uuid.uuid4()), "execId": "e", "start": 1700000000000,
     "protocolVersion": 1, "reboundIteration": 2, "flag": True, "one": 1, "big": 2 ** 40, "reply_to": "é-q"},
    {"nested": {"k": [1, "2", None]}, "d": decimal.Decimal("1.25"), "x-eio-error-response": True},
    {},
]


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("extra", [{}, {"content_type": "application/json", "content_encoding": "utf8"},
                                   {"content_type": "a", "delivery_mode": 2, "expiration": "30000", "reply_to": "q"}])
def test_header_bytes_are_pikas_own(headers, extra):
    for _ in range(2):  # the second time from the cache
        expected = b"".join(pika.BasicProperties(headers=dict(headers), **extra).encode())
        assert b"".join(Properties(headers=dict(headers), **extra).encode()) == expected


def test_ids_are_uuid4_text_unique_and_not_inherited_by_a_fork():
    made = [ids.new_id() for _ in range(3000)]
    assert len(set(made)) == len(made)
    for text in made[:300]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
    ids._forget()  # what a forked child runs: its next id comes from fresh random bytes
    assert ids._pool == b"" and ids.new_id() not in made


def test_scrub_returns_clean_data_itself_and_still_masks_secrets(monkeypatch):
    redactor = Redactor()  # this test's secrets only (scrub and redact_text use the process's REDACTOR)
    monkeypatch.setattr(eiosdk_logging, "REDACTOR", redactor)
    monkeypatch.setattr(executor, "REDACTOR", redactor)
    redactor.register("plain-hot-secret-1234")
    clean = {"body": {"sku": "A1", "items": [{"title": "Mug"}], "n": 1}}
    assert scrub(clean) is clean
    assert scrub({"a": ["x plain-hot-secret-1234 y"]}) == {"a": ["x *** y"]}
    assert scrub({"url": "https://h/?Signature=abc&x=1"})["url"] != "https://h/?Signature=abc&x=1"
    named = {"apiKey": "not-a-registered-value"}  # a secret's name as a key only: looked at, left as is
    assert scrub(named) == named
    assert not redactor.may_change_strings_in('{"a":"b"}')
    redactor.register('hot-path-secret-"q"-77')  # JSON text would show it escaped: always look string by string
    assert redactor.may_change_strings_in('{"a":"b"}')
    assert scrub({"a": 'has hot-path-secret-"q"-77 inside'}) == {"a": "has *** inside"}


def test_message_parts_are_to_dict_without_copies():
    message = Message.of({"body": {"a": [1]}, "url": "https://x", "passthrough": {"s": {"body": {}}}})
    assert message.parts() == message.to_dict() and list(message.parts()) == list(message.to_dict())
    assert message.parts()["body"] is message.body
    plain = Message.of({"sku": "A1"})
    assert "passthrough" not in plain.parts() and plain.parts() == plain.to_dict()


def test_sync_calls_run_on_the_step_threads_with_results_errors_and_cancels():
    loop = LoopThread(workers=3).start()
    try:
        async def scenario():
            names = await asyncio.gather(*(asyncio.to_thread(lambda: threading.current_thread().name)
                                           for _ in range(6)))
            with pytest.raises(ZeroDivisionError):
                await asyncio.to_thread(lambda: 1 / 0)
            release = threading.Event()
            task = asyncio.ensure_future(asyncio.to_thread(release.wait, 5))
            await asyncio.sleep(0.05)
            task.cancel()
            release.set()
            with pytest.raises(asyncio.CancelledError):
                await task
            return names, await asyncio.to_thread(lambda: 42)

        names, answer = loop.run(scenario(), timeout=10)
        assert answer == 42 and all(n.startswith("sailor-steps-worker") for n in names)
        assert loop._pool.submit(lambda: 7).result(5) == 7  # from another thread: the ordinary pool
    finally:
        loop.stop()
    assert loop._pool._closed


def test_results_finished_together_share_one_wake_up_and_none_is_lost(monkeypatch):
    """Workers finishing at once wake the loop once between them, and every result still arrives:
    thousands of tiny calls from concurrent tasks all resolve (a lost wake-up would hang ``gather``
    until the timeout), with far fewer wake-ups than results."""
    loop = LoopThread(workers=8).start()
    wakes = []
    deliver = loop._pool._deliver
    monkeypatch.setattr(loop._pool, "_deliver", lambda: (wakes.append(1), deliver()))
    try:
        async def scenario():
            async def one(i):
                return await asyncio.to_thread(lambda: i * i)
            results = []
            for _ in range(10):  # rounds of 300 calls in flight at once
                results += await asyncio.gather(*(one(i) for i in range(300)))
            return results

        results = loop.run(scenario(), timeout=60)
        assert results == [i * i for i in range(300)] * 10
        assert 0 < len(wakes) < len(results)
    finally:
        loop.stop()


def test_each_header_pair_is_encoded_as_pika_encodes_it():
    rng = random.Random(7)
    values = ["", "x", "é€𝄞", "a" * 300, 0, 1, -1, 2 ** 31 - 1, 2 ** 31, -2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1,
              -2 ** 63, 2 ** 64, True, False, 1.5, None, {"a": 1}, [1, "x"]]
    values += [rng.randint(-2 ** 64, 2 ** 64) for _ in range(300)]

    def outcome(encode, name, value):
        try:
            return encode(name, value)
        except Exception as exc:  # the same failure is part of the same behaviour
            return type(exc)

    def pikas(name, value):
        pieces: list[bytes] = []
        pika.data.encode_short_string(pieces, name)
        pika.data.encode_value(pieces, value)
        return b"".join(pieces)

    for name in ("k", "messageId", "ключ", "x" * 255, "y" * 256):
        for value in values:
            assert outcome(_encode_pair, name, value) == outcome(pikas, name, value), (name, value)


def test_gc_is_tuned_only_for_a_process_that_is_the_sailors():
    import subprocess
    import sys

    code = ("import gc; from eiosdk.sailor.runtime import tune_gc, YOUNG_GC_THRESHOLD; tune_gc(); "
            "assert gc.get_threshold()[0] == YOUNG_GC_THRESHOLD and gc.get_freeze_count() > 0; "
            "gc.set_threshold(123); tune_gc(); assert gc.get_threshold()[0] == 123")  # someone's own choice stays
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60).returncode == 0


@pytest.mark.rabbitmq
def test_a_sailor_on_a_thread_leaves_the_process_gc_alone(topology, platform):
    import gc

    from .conftest import sailor_env, step_data
    from .harness import running_sailor

    platform.steps[("flow-1", "step_2")] = step_data({})
    before = gc.get_threshold()
    with running_sailor(sailor_env(topology, platform, "passthrough")):
        assert gc.get_threshold() == before


@pytest.mark.parametrize(("level", "shown"), [("trace", True), ("info", False)])
def test_trace_lines_of_a_message_follow_the_level(cipher, level, shown):
    import io

    from eiosdk.logging import configured_level, set_level

    from .test_execution import delivery, make

    handler, bus = make("passthrough", cipher)
    stream, before = io.StringIO(), configured_level()
    eiosdk_logging.configure(stream=stream, level=level)
    try:
        asyncio.run(handler.handle(delivery(cipher, {"body": {"a": 1}})))
    finally:
        eiosdk_logging.configure(stream=None)
        set_level(before)
    logs = stream.getvalue()
    assert bus.settled == [(1, True)]
    assert ("processMessage received" in logs and "processMessage emit end" in logs) is shown


def test_a_body_becomes_the_same_message_as_through_a_dumped_model():
    import datetime

    class Opaque:
        pass

    bodies = [{"sku": "A1", "n": [1, 2.5, None, True]}, {"when": datetime.datetime(2024, 5, 3, 9, 41, 27, tzinfo=datetime.timezone.utc),
              "price": decimal.Decimal("84.97"), "tags": ("a", "b"), "nested": {"d": datetime.date(2024, 1, 2)}}, {}]
    for body in bodies:
        fast = Message.of(body)
        slow = Message.model_validate(Message(body=dict(body)).to_dict())  # the route Message.of took before
        assert fast.to_dict() | {"id": ""} == slow.to_dict() | {"id": ""}
        assert uuid.UUID(fast.id).version == 4
    with pytest.raises(TypeError, match="cannot be turned into JSON"):
        Message.of({"x": Opaque()})


def test_frames_queued_in_one_turn_are_written_at_once_in_order(monkeypatch):
    from eiosdk.sailor.amqp import _Connection
    from pika.adapters.asyncio_connection import AsyncioConnection

    written: list[bytes] = []
    monkeypatch.setattr(AsyncioConnection, "_adapter_emit_data", lambda self, data: written.append(data))

    async def scenario():
        connection = _Connection.__new__(_Connection)  # only the writing part is exercised
        connection._nbio = SimpleNamespace(get_native_ioloop=asyncio.get_running_loop)
        connection._transport = object()
        for frame in (b"method", b"header", b"body"):
            connection._adapter_emit_data(frame)
        assert written == []
        await asyncio.sleep(0)
        connection._adapter_emit_data(b"ack")
        await asyncio.sleep(0)
        connection._adapter_emit_data(b"lost")
        connection._transport = None  # the connection went away before the end of the turn
        await asyncio.sleep(0)

    asyncio.run(scenario())
    assert written == [b"methodheaderbody", b"ack"]


def _transport(sock: socket.socket, buffered: int = 0) -> _PlaintextTransport:
    """pika's plaintext transport over ``sock``, only as far as the direct write reads it."""
    transport = _PlaintextTransport.__new__(_PlaintextTransport)
    transport._sock, transport._state, transport._tx_buffered_byte_count = sock, transport._STATE_ACTIVE, buffered
    return transport


def _received(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(1 << 20)
        except BlockingIOError:
            return b"".join(chunks)
        chunks.append(chunk)


def test_frames_go_straight_to_a_socket_with_room_and_only_the_rest_to_the_transport():
    ours, broker = socket.socketpair()
    with ours, broker:
        ours.setblocking(False)
        broker.setblocking(False)
        assert _send_now(_transport(ours), b"frames") == b""
        assert _received(broker) == b"frames"

        big = bytes(range(256)) * (16 << 10)  # 4 MiB: more than the socket pair buffers
        rest = _send_now(_transport(ours), big)
        assert rest, "the socket cannot have taken 4 MiB at once"
        assert _received(broker) + rest == big  # nothing lost, nothing sent twice, the order kept


def test_a_failing_or_closing_socket_leaves_every_frame_to_the_transport():
    ours, broker = socket.socketpair()
    with ours:
        broker.close()
        assert _send_now(_transport(ours), b"frames") == b"frames"  # the transport meets EPIPE and reports it
        closing = _transport(ours)
        closing._state = closing._STATE_ABORTED_BY_USER
        assert _send_now(closing, b"frames") == b"frames"


def test_frames_wait_behind_bytes_the_transport_still_holds(monkeypatch):
    from eiosdk.sailor.amqp import _Connection
    from pika.adapters.asyncio_connection import AsyncioConnection

    handed: list[bytes] = []
    monkeypatch.setattr(AsyncioConnection, "_adapter_emit_data", lambda self, data: handed.append(data))
    ours, broker = socket.socketpair()
    with ours, broker:
        ours.setblocking(False)
        broker.setblocking(False)
        connection = _Connection.__new__(_Connection)
        connection._transport = _transport(ours, buffered=10)  # an earlier write the socket did not take
        connection._queued = [b"method", b"body"]
        connection._write_queued()
        assert handed == [b"methodbody"] and _received(broker) == b""

        connection._transport = _transport(ours)
        connection._queued = [b"ack"]
        connection._write_queued()
        assert handed == [b"methodbody"] and _received(broker) == b"ack"
