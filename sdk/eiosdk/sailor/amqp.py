"""RabbitMQ with pika's asyncio adapter: both connections live on the step loop, next to the steps.

Why on the loop (issue 8's throughput follow-up): with ``BlockingConnection`` threads, each message
crossed four threads (consumer -> loop -> publisher -> loop -> consumer -> loop) and every publish
waited for its own confirm before the next one could go out, so the sailor spent its time handing
work between threads and waiting on one round trip at a time. Here nothing crosses a thread: a
delivery becomes a task on the loop, ``publish`` writes the frame and awaits *that* message's
confirm (many publishes are in flight at once, matched to confirms by delivery tag), and acks are
written at the end of the loop's turn. The only hop left is a sync step's ``asyncio.to_thread`` in
the executor (``loop.StepThreads``).

Per message, what costs nothing in wire terms is not done per message (issue 17): the frames queued
in one turn of the loop go out in one socket write (``_Connection``); the acks due in one turn go out
as one ``basic.ack`` with ``multiple`` when they are the oldest unsettled deliveries (never covering
one still running or rejected, see ``Consumer._write_acks``); header pairs are encoded from a cache
(``Properties``, byte for byte what pika writes).

Two connections, as the Node sailor has, so a broker that blocks publishers never holds up acks:

* ``Consumer`` (``<host>-read``): the step's queue with ``basic_qos(prefetch)`` and manual acks;
  ``settle`` acks (coalesced, see above) or rejects (without requeue, at once) a delivery.
* ``Publisher`` (``<host>-write``): a confirm channel; every publish is ``mandatory``; ``publish``
  answers ``True`` once the broker confirmed, ``False`` when it returned the message as unroutable.

Both reconnect after a dropped connection. A delivery tag is only valid on the channel it came from,
so each (re)connect of the consumer starts a new *generation*; settling a delivery of an older
generation is skipped (the broker has already requeued it and will deliver it again). Publishes that
were in flight on a lost connection are published again (header ``retry``) with the configured backoff.

pika's connections are not thread-safe: everything here runs on the loop that opened it. Heartbeats
are served by that loop too, so a step must not block it (sync steps run in the pool; an async step
that blocks for longer than the heartbeat loses the connection, as a blocking Node step would).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pika
import pika.exceptions as px
from pika import data as amqp_data
from pika.adapters.asyncio_connection import AsyncioConnection
from pika.adapters.utils.io_services_utils import _AsyncPlaintextTransport as _PlaintextTransport

from ..logging import Logger, get_logger
from .delivery import Delivery, properties_dict
from .outgoing import Outgoing

CONNECTION_ERRORS = (px.AMQPConnectionError, px.ConnectionClosed, px.StreamLostError, px.ChannelWrongStateError,
                     px.ConnectionWrongStateError, px.ChannelClosed, OSError)
OPEN_SECONDS = 30.0  # a connection or channel not open by then counts as failed (pika's stack_timeout is 20)
CALL_SECONDS = 30.0  # basic.qos, confirm.select, basic.cancel answered within this, or the call failed
CLOSE_SECONDS = 10.0


class PublishError(RuntimeError):
    """A message could not be published (broker refused it, or the retries ran out)."""


class ConnectionLost(ConnectionError):
    """The connection or channel an operation needed went away before it completed."""


class Refused(RuntimeError):
    """The broker closed the channel over a publish (e.g. the exchange does not exist): retrying cannot help."""


class Nacked(RuntimeError):
    """The broker answered a publish with basic.nack (it could not take the message); worth a retry."""


PAIR_CACHE_SIZE = 256  # encoded values kept per header name and type; that name's cache starts over when full


class Properties(pika.BasicProperties):
    """``pika.BasicProperties`` whose header table is encoded from cached (name, value) pairs.

    Most of the 14 headers of each publish are the same for every message of a container (exec,
    flow, step, container ids, the function, the thread); pika encoded every pair afresh for each
    message. The bytes are pika's own (``data.encode_short_string`` + ``data.encode_value`` per
    pair, in the dict's order): only the work is saved. Text and integer values are cached by
    header name (per-message ones, ids and times, pass through and a name's cache starts over when
    full); other values (booleans, tables, arrays...) are encoded each time.
    """

    _pairs: dict[tuple[str, type], dict[Any, bytes]] = {}

    def encode(self) -> list[bytes]:
        headers = self.headers
        if not headers:
            return super().encode()
        self.headers = None
        try:
            pieces = super().encode()
        finally:
            self.headers = headers
        # pieces: the flags word, then content_type and content_encoding (two pieces each), then the table
        flags = int.from_bytes(pieces[0], "big") | pika.BasicProperties.FLAG_HEADERS
        at = 1 + 2 * (self.content_type is not None) + 2 * (self.content_encoding is not None)
        caches, encoded = Properties._pairs, []
        for name, value in headers.items():
            kind = value.__class__
            if kind is not str and kind is not int:
                encoded.append(_encode_pair(name, value))
                continue
            known = caches.get((name, kind))
            if known is None:
                if len(caches) >= PAIR_CACHE_SIZE:  # header names a step made up by the hundred
                    caches.clear()
                known = caches[(name, kind)] = {}
            piece = known.get(value)
            if piece is None:
                if len(known) >= PAIR_CACHE_SIZE:
                    known.clear()
                piece = known[value] = _encode_pair(name, value)
            encoded.append(piece)
        table = b"".join(encoded)
        return [flags.to_bytes(2, "big"), *pieces[1:at], len(table).to_bytes(4, "big"), table, *pieces[at:]]


def _encode_pair(name: str, value: Any) -> bytes:
    """One header as pika's ``encode_short_string`` + ``encode_value`` write it: text and integers
    here (the same bytes, tested against pika's), anything else by pika itself."""
    key = name.encode("utf-8") if name.__class__ is str else None
    if key is not None and len(key) <= 255:
        kind = value.__class__
        if kind is str:
            raw = value.encode("utf-8")
            return bytes((len(key),)) + key + b"S" + len(raw).to_bytes(4, "big") + raw
        if kind is int:
            if -0x80000000 <= value <= 0x7FFFFFFF:
                return bytes((len(key),)) + key + b"I" + value.to_bytes(4, "big", signed=True)
            if -0x8000000000000000 <= value <= 0x7FFFFFFFFFFFFFFF:
                return bytes((len(key),)) + key + b"l" + value.to_bytes(8, "big", signed=True)
    pieces: list[bytes] = []
    amqp_data.encode_short_string(pieces, name)
    amqp_data.encode_value(pieces, value)
    return b"".join(pieces)


def connection_parameters(uri: str, role: str) -> pika.URLParameters:
    """Parameters from ``ELASTICIO_AMQP_URI`` with timeouts on every blocking step and a named connection."""
    params = pika.URLParameters(uri)
    params.client_properties = {"connection_name": f"{socket.gethostname()}-{role}", "product": "eiosdk-sailor"}
    params.socket_timeout = 10
    params.stack_timeout = 20
    params.blocked_connection_timeout = 300
    params.connection_attempts = 1
    return params


class _Connection(AsyncioConnection):
    """pika's asyncio connection, writing the frames of one turn of the loop to the socket at once.

    pika hands its transport one buffer per frame (a publish is three: method, header, body) and the
    transport makes one ``send`` per buffer; with many messages in flight that was several system calls
    per message. Here the frames queued during one turn of the loop are joined and written once, on
    the same turn (``call_soon``), in the order they were queued.

    When pika's plaintext transport has nothing buffered, the joined frames are sent straight away
    and only what the socket did not take is handed to the transport. Through the transport alone,
    each write armed a writability watcher (an ``epoll_ctl``), waited a turn of the loop for the
    socket to report writable, sent, and disarmed it (another ``epoll_ctl``), though a socket with
    room takes the bytes at once. TLS connections always go through the transport: their bytes must
    be encrypted by it.
    """

    _queued: list[bytes] | None = None

    def _adapter_emit_data(self, data: bytes) -> None:
        if self._queued is None:
            self._queued = [data]
            self._nbio.get_native_ioloop().call_soon(self._write_queued)
        else:
            self._queued.append(data)

    def _write_queued(self) -> None:
        queued, self._queued = self._queued, None
        transport = self._transport
        if not queued or transport is None:  # a lost connection drops them, as its socket would
            return
        data = queued[0] if len(queued) == 1 else b"".join(queued)
        if transport.__class__ is _PlaintextTransport and not transport.get_write_buffer_size():
            data = _send_now(transport, data)
        if data:
            super()._adapter_emit_data(data)


def _send_now(transport: Any, data: bytes) -> bytes:
    """What of ``data`` the transport's socket did not take at once (all of it on any error: the
    transport's own write path then meets the error and closes the connection its way)."""
    if transport._state != transport._STATE_ACTIVE:
        return data
    try:
        sent = transport._sock.send(data)
    except OSError:  # EAGAIN, EINTR, or a broken socket: the transport sends it, or reports the loss
        return data
    return data[sent:]


def _resolve(future: asyncio.Future, value: Any = None) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: asyncio.Future, error: Any) -> None:
    if not future.done():
        future.set_exception(error if isinstance(error, BaseException) else ConnectionLost(str(error)))


class Link:
    """One connection with one channel; ``on_lost(link, reason)`` runs once if they go away unasked.

    A channel closed by the broker (with the connection still up) also counts as lost: the link then
    closes its connection, so a reconnect always starts from a clean connection.
    """

    def __init__(self, connection: AsyncioConnection, channel: Any,
                 on_lost: Callable[[Link, BaseException], None]) -> None:
        self.connection = connection
        self.channel = channel
        self.closing = False
        self._on_lost = on_lost
        self._calls: set[asyncio.Future] = set()
        channel.add_on_close_callback(self._channel_closed)

    @classmethod
    async def open(cls, uri: str, role: str, on_lost: Callable[[Link, BaseException], None]) -> Link:
        """Open a connection and a channel on the running loop, each within ``OPEN_SECONDS``."""
        loop = asyncio.get_running_loop()
        connected, channel_open = loop.create_future(), loop.create_future()
        connection = _Connection(connection_parameters(uri, role), custom_ioloop=loop,
                                       on_open_callback=lambda c: _resolve(connected, c),
                                       on_open_error_callback=lambda _c, e: _fail(connected, e),
                                       on_close_callback=lambda _c, e: (_fail(connected, e), _fail(channel_open, e)))
        try:
            await asyncio.wait_for(connected, OPEN_SECONDS)
            channel = connection.channel(on_open_callback=lambda ch: _resolve(channel_open, ch))
            await asyncio.wait_for(channel_open, OPEN_SECONDS)
            if not channel.is_open:  # closed again before this task resumed: nobody would hear of it
                raise ConnectionLost("the AMQP channel closed as it opened")
        except BaseException:
            _close_quietly(connection)
            raise
        return cls(connection, channel, on_lost)

    async def call(self, start: Callable[[Callable[..., None]], Any]) -> Any:
        """Await a pika method that reports through a callback: ``start(callback)`` sends it."""
        done = asyncio.get_running_loop().create_future()
        self._calls.add(done)
        try:
            start(lambda result=None: _resolve(done, result))
            return await asyncio.wait_for(done, CALL_SECONDS)
        finally:
            self._calls.discard(done)

    def _channel_closed(self, _channel: Any, reason: BaseException) -> None:
        for call in self._calls:
            _fail(call, ConnectionLost(f"channel closed: {type(reason).__name__}"))
        if self.closing:
            return
        self.closing = True
        _close_quietly(self.connection)
        self._on_lost(self, reason)

    async def close(self) -> None:
        """Close the connection (its channel with it) and wait, bounded, until it is closed."""
        self.closing = True
        if self.connection.is_closed:
            return
        closed = asyncio.get_running_loop().create_future()
        self.connection.add_on_close_callback(lambda *_: _resolve(closed))
        _close_quietly(self.connection)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(closed, CLOSE_SECONDS)


async def _set_up(link: Link, setup: Callable[[Link], Awaitable[None]]) -> Link:
    try:
        await setup(link)
        if link.closing:
            raise ConnectionLost("the AMQP link closed while it was being set up")
    except BaseException:
        await link.close()
        raise
    return link


def _close_quietly(connection: AsyncioConnection) -> None:
    if not (connection.is_closing or connection.is_closed):
        with contextlib.suppress(*CONNECTION_ERRORS):
            connection.close()


async def connect(uri: str, role: str, on_lost: Callable[[Link, BaseException], None],
                  setup: Callable[[Link], Awaitable[None]], *, attempts: int, delay_ms: int, log: Logger,
                  sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> Link:
    """Open a link and ``setup`` its channel, retrying ``attempts`` more times ``delay_ms`` apart.

    (``AMQP_RECONNECT_*``.) A link that is lost during its set-up counts as a failed attempt, so the
    caller never holds a link that went away before anyone was listening for its loss.
    """
    last: BaseException | None = None
    for attempt in range(max(0, attempts) + 1):
        if attempt:
            await sleep(delay_ms / 1000.0)
            log.debug("AMQP reconnecting", reconnectAttempt=attempt, role=role)
        try:
            return await _set_up(await Link.open(uri, role, on_lost), setup)
        except (*CONNECTION_ERRORS, asyncio.TimeoutError) as exc:
            last = exc
            log.error("AMQP connection error", role=role, error=type(exc).__name__)
    raise ConnectionError(f"cannot connect to RabbitMQ ({role}) after {attempts + 1} attempts: "
                          f"{type(last).__name__}; check ELASTICIO_AMQP_URI and that the broker runs")


class Consumer:
    """Consumes the step's queue with manual acks; ``on_delivery`` is called on the loop for each message.

    After a lost connection it reconnects (and resumes consuming unless ``cancel`` was called); when
    the reconnect attempts run out, ``on_fatal(error)`` is called and the consumer stays down.
    """

    def __init__(self, uri: str, queue_name: str, prefetch: int, on_delivery: Callable[[Delivery], None], *,
                 reconnect_attempts: int = 3, reconnect_delay_ms: int = 100, log: Logger | None = None,
                 on_fatal: Callable[[BaseException], None] | None = None) -> None:
        self.uri = uri
        self.queue_name = queue_name
        self.prefetch = max(1, prefetch)
        self.on_delivery = on_delivery
        self.reconnect_attempts = reconnect_attempts
        self.reconnect_delay_ms = reconnect_delay_ms
        self.log = log or get_logger("sailor")
        self.on_fatal = on_fatal or (lambda _error: None)
        self.generation = 0
        self._link: Link | None = None
        # This generation's deliveries not yet acked or rejected on the wire, in delivery (= tag) order:
        # tag -> True once its ack is due (written by ``_write_acks`` at the end of this loop turn).
        self._unsettled: dict[int, bool] = {}
        self._acks_due = False
        self._consumer_tag: str | None = None
        self._consuming = False  # wanted: resume consuming after a reconnect
        self._reconnecting: asyncio.Task | None = None

    async def connect(self) -> None:
        """Open the read connection and the consumer channel (prefetch set, not consuming yet)."""
        self._link = await connect(self.uri, "read", self._lost, self._set_qos, attempts=self.reconnect_attempts,
                                   delay_ms=self.reconnect_delay_ms, log=self.log)
        self.generation += 1
        self._unsettled = {}  # the old channel's tags died with it

    async def _set_qos(self, link: Link) -> None:
        await link.call(lambda done: link.channel.basic_qos(prefetch_count=self.prefetch, callback=done))

    def start(self) -> None:
        """Start consuming (on the loop); deliveries go to ``on_delivery``."""
        self._consuming = True
        if self._link is None:  # a reconnect is under way; it starts consuming when it is done
            return
        self._consumer_tag = self._link.channel.basic_consume(self.queue_name, self._on_message, auto_ack=False)
        self.log.debug("Started listening for messages", queue=self.queue_name, prefetch=self.prefetch)

    def _on_message(self, _channel: Any, method: Any, props: Any, body: bytes) -> None:
        self._unsettled[method.delivery_tag] = False
        self.on_delivery(Delivery(tag=method.delivery_tag, body=bytes(body), properties=properties_dict(props),
                                  generation=self.generation, redelivered=bool(method.redelivered)))

    async def cancel(self) -> None:
        """Stop receiving new messages (awaits the broker's cancel-ok); deliveries already received keep running."""
        self._consuming = False
        tag, self._consumer_tag, link = self._consumer_tag, None, self._link
        if tag is None or link is None:
            return
        if tag not in link.channel.consumer_tags:  # the broker cancelled it (its queue was deleted): no cancel-ok
            self.log.warn("the broker had already cancelled the consumer", queue=self.queue_name)
            return
        try:
            await link.call(lambda done: link.channel.basic_cancel(tag, callback=done))
        except (*CONNECTION_ERRORS, asyncio.TimeoutError) as exc:
            self.log.warn("could not cancel the consumer", error=type(exc).__name__)
        self.log.debug("Stopped listening for messages", queue=self.queue_name)

    def settle(self, delivery: Delivery, ack: bool) -> bool:
        """Ack (or reject without requeue) ``delivery``; ``False`` when its channel is gone (it comes again).

        A reject is written at once. An ack is written at the end of this turn of the loop, together
        with the acks due by then (``_write_acks``): one ``basic.ack`` with ``multiple`` for the longest
        run of due acks at the front of the unsettled deliveries, one ``basic.ack`` each for the others.
        """
        link = self._link
        if link is None or delivery.generation != self.generation:
            self.log.warn("delivery from a lost channel not settled; the broker redelivers it", tag=delivery.tag)
            return False
        if ack:
            self._unsettled[delivery.tag] = True
            if not self._acks_due:
                self._acks_due = True
                asyncio.get_running_loop().call_soon(self._write_acks)
            self.log.debug("Message ack", deliveryTag=delivery.tag)
            return True
        try:
            link.channel.basic_reject(delivery.tag, requeue=False)
        except CONNECTION_ERRORS:
            self.log.warn("connection closed before settling; the broker will redeliver", tag=delivery.tag)
            return False
        self._unsettled.pop(delivery.tag, None)
        self.log.debug("Message reject", deliveryTag=delivery.tag)
        return True

    def _write_acks(self) -> None:
        """Write the due acks: ``multiple`` only up to the first delivery still unsettled.

        ``basic.ack(tag, multiple=True)`` acks *every* unacked delivery up to ``tag`` on the channel, so
        it is used only for a run of deliveries at the front of ``_unsettled`` (every delivery of this
        channel not yet acked or rejected, in tag order) that are all due: a delivery whose run has not
        ended, or that was rejected, is never covered by it. Due acks behind a delivery still running
        are written one by one, so they do not hold their prefetch slots until it ends.
        """
        self._acks_due = False
        link, unsettled = self._link, self._unsettled
        front: list[int] = []
        for tag, due in unsettled.items():
            if not due:
                break
            front.append(tag)
        rest = [tag for tag, due in unsettled.items() if due][len(front):]
        for tag in (*front, *rest):
            del unsettled[tag]
        if link is None or not (front or rest):
            return
        try:
            if front:
                link.channel.basic_ack(front[-1], multiple=len(front) > 1)
            for tag in rest:
                link.channel.basic_ack(tag)
        except CONNECTION_ERRORS:
            self.log.warn("connection closed before acking; the broker will redeliver", count=len(front) + len(rest))

    def _lost(self, link: Link, reason: BaseException) -> None:
        if link is not self._link:
            return
        self._link, self._consumer_tag, self._unsettled = None, None, {}
        self.log.error("AMQP read connection lost; reconnecting", error=type(reason).__name__)
        self._reconnecting = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        try:
            await self.connect()
            if self._consuming:
                self.start()
        except Exception as exc:  # the attempts ran out: the sailor must stop and be restarted
            self.on_fatal(exc)

    async def close(self) -> None:
        self._consuming = False
        self._write_acks()  # acks still due go out before the connection closes
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        link, self._link = self._link, None
        if link is not None:
            await link.close()


@dataclass
class _InFlight:
    """A published message waiting for its confirm; ``returned`` when the broker sent it back unroutable."""

    out: Outgoing
    future: asyncio.Future
    returned: bool = False


class Publisher:
    """Publishes with confirms, many messages in flight; ``publish`` awaits the confirm of its own message."""

    def __init__(self, uri: str, exchange: str, *, retry_delay_ms: int = 100, max_retry_delay_ms: int = 300000,
                 retry_attempts: float = float("inf"), reconnect_attempts: int = 3, reconnect_delay_ms: int = 100,
                 log: Logger | None = None, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.uri = uri
        self.exchange = exchange
        self.retry_delay_ms = retry_delay_ms
        self.max_retry_delay_ms = max_retry_delay_ms
        self.retry_attempts = retry_attempts
        self.reconnect_attempts = reconnect_attempts
        self.reconnect_delay_ms = reconnect_delay_ms
        self.log = log or get_logger("sailor")
        self._sleep = sleep
        self._link: Link | None = None
        self._opening: asyncio.Future | None = None
        self._in_flight: dict[int, _InFlight] = {}  # by delivery tag on the current channel, in publish order
        self._tags = itertools.count(1)

    @property
    def connected(self) -> bool:
        return self._link is not None

    async def start(self) -> None:
        """Connect now, so an unreachable broker fails the start-up rather than the first message."""
        await self._ready()

    async def publish(self, out: Outgoing) -> bool:
        """Publish ``out`` to the step's exchange; ``False`` when the broker returned it as unroutable.

        A lost connection or a nack is retried with exponential backoff (``AMQP_PUBLISH_RETRY_*``),
        the message carrying header ``retry`` = the attempt; a refusal raises ``PublishError`` at once.
        The wait for the confirm is bounded by the connection itself: a dead peer fails the heartbeat
        and a broker that blocks publishers past ``blocked_connection_timeout`` is disconnected.
        """
        for iteration in itertools.count():
            try:
                return await self._publish_once(out, iteration)
            except Refused as exc:
                raise PublishError(f"broker refused the message ({exc})") from None
            except (*CONNECTION_ERRORS, ConnectionError, Nacked, asyncio.TimeoutError) as exc:
                if iteration + 1 >= self.retry_attempts:
                    raise PublishError(f"failed publishing to {out.routing_key!r} after "
                                       f"{iteration + 1} attempts: {type(exc).__name__}") from None
                delay = min(self.retry_delay_ms * 2 ** iteration, self.max_retry_delay_ms)
                self.log.error("Failed on publishing message to queue; retrying", error=type(exc).__name__,
                               retryInMs=delay)
                await self._sleep(delay / 1000.0)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _publish_once(self, out: Outgoing, iteration: int) -> bool:
        link = self._link if self._link is not None else await self._ready()
        props = out.properties
        if iteration:
            props = {**props, "headers": {**(props.get("headers") or {}), "retry": iteration}}
        waiting = _InFlight(out, asyncio.get_running_loop().create_future())
        link.channel.basic_publish(self.exchange, out.routing_key, out.body, Properties(**props),
                                   mandatory=True)
        self._in_flight[next(self._tags)] = waiting  # the broker numbers this channel's publishes 1, 2, ...
        routed = await waiting.future
        if not routed:
            self.log.warn("message returned as unroutable (no queue bound)", exchange=self.exchange,
                          routingKey=out.routing_key)
        return routed

    async def _ready(self) -> Link:
        """The open link; opened once for all the publishes that need it at the same time."""
        while self._link is None:
            if self._opening is None or self._opening.done():
                self._opening = asyncio.ensure_future(self._open())
            await asyncio.shield(self._opening)
        return self._link

    async def _open(self) -> None:
        self._link = await connect(self.uri, "write", self._lost, self._select_confirms,
                                   attempts=self.reconnect_attempts, delay_ms=self.reconnect_delay_ms, log=self.log)
        self._tags = itertools.count(1)

    async def _select_confirms(self, link: Link) -> None:
        await link.call(lambda done: link.channel.confirm_delivery(self._on_confirm, callback=done))
        link.channel.add_on_return_callback(self._on_return)

    def _on_confirm(self, frame: Any) -> None:
        """basic.ack / basic.nack for one tag, or with ``multiple`` for every tag up to it."""
        method = frame.method
        acked = isinstance(method, pika.spec.Basic.Ack)
        tags = [t for t in self._in_flight if t <= method.delivery_tag] if method.multiple else [method.delivery_tag]
        for tag in tags:
            waiting = self._in_flight.pop(tag, None)
            if waiting is None or waiting.future.done():
                continue
            if acked:
                waiting.future.set_result(not waiting.returned)
            else:
                waiting.future.set_exception(Nacked("the broker nacked the message"))

    def _on_return(self, _channel: Any, method: Any, _props: Any, body: bytes) -> None:
        """basic.return comes before the confirm of the same message: mark the oldest match returned."""
        for waiting in self._in_flight.values():
            if not waiting.returned and waiting.out.routing_key == method.routing_key and waiting.out.body == body:
                waiting.returned = True
                return

    def _lost(self, link: Link, reason: BaseException) -> None:
        """Every publish in flight on ``link`` fails: refused when the broker closed the channel, else retried.

        A broker's channel close is about the exchange (missing, no permission) for all of them alike.
        """
        if link is not self._link:
            return
        self._link = None
        if isinstance(reason, px.ChannelClosedByBroker):
            error: Exception = Refused(f"{reason.reply_code} {reason.reply_text}")
        else:
            error = ConnectionLost(f"AMQP write connection lost: {type(reason).__name__}")
        self.log.warn("AMQP write connection lost", error=type(reason).__name__, inFlight=len(self._in_flight))
        in_flight, self._in_flight = self._in_flight, {}
        for waiting in in_flight.values():
            _fail(waiting.future, error)

    async def close(self, timeout: float = 30.0) -> None:
        """Wait (bounded) for the confirms of what is in flight, then close the connection."""
        pending = [waiting.future for waiting in self._in_flight.values()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)
        link, self._link = self._link, None
        if link is not None:
            await link.close()
