"""RabbitMQ with pika, threaded deliberately: one thread per connection, nothing shared unguarded.

pika's ``BlockingConnection`` is not thread-safe, so each connection belongs to exactly one thread:

* ``Consumer`` (read connection, ``<host>-read``) lives in the thread that calls ``serve``; it owns the
  consumer channel with ``basic_qos(prefetch)``. Other threads ack/reject through ``settle``, which
  marshals the call onto that thread with ``add_callback_threadsafe``.
* ``Publisher`` (write connection, ``<host>-write``) owns a thread of its own and a confirm channel;
  ``publish`` queues a job and returns a ``concurrent.futures.Future`` resolved once the broker
  confirmed (or the retries gave up). Every publish is ``mandatory``.

Both reconnect after a dropped connection. A delivery tag is only valid on the channel it came from,
so each reconnect of the consumer starts a new *generation*; settling a delivery of an older
generation is skipped (the broker has already requeued it and will deliver it again).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import itertools
import queue
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pika
import pika.exceptions as px

from ..logging import Logger, get_logger
from .delivery import Delivery, properties_dict
from .outgoing import Outgoing

CONNECTION_ERRORS = (px.AMQPConnectionError, px.ConnectionClosed, px.StreamLostError, px.ChannelWrongStateError,
                     px.ConnectionWrongStateError, px.ChannelClosed, OSError)
POLL_SECONDS = 0.2


class PublishError(RuntimeError):
    """A message could not be published (broker refused it, or the retries ran out)."""


def connection_parameters(uri: str, role: str) -> pika.URLParameters:
    """Parameters from ``ELASTICIO_AMQP_URI`` with timeouts on every blocking step and a named connection."""
    params = pika.URLParameters(uri)
    params.client_properties = {"connection_name": f"{socket.gethostname()}-{role}", "product": "eiosdk-sailor"}
    params.socket_timeout = 10
    params.stack_timeout = 20
    params.blocked_connection_timeout = 300
    params.connection_attempts = 1
    return params


def connect(uri: str, role: str, *, attempts: int, delay_ms: int, log: Logger,
            sleep: Callable[[float], None] = time.sleep) -> pika.BlockingConnection:
    """Open a connection, retrying ``attempts`` more times ``delay_ms`` apart (``AMQP_RECONNECT_*``)."""
    last: Exception | None = None
    for attempt in range(max(0, attempts) + 1):
        if attempt:
            sleep(delay_ms / 1000.0)
            log.debug("AMQP reconnecting", reconnectAttempt=attempt, role=role)
        try:
            return pika.BlockingConnection(connection_parameters(uri, role))
        except CONNECTION_ERRORS as exc:
            last = exc
            log.error("AMQP connection error", role=role, error=type(exc).__name__)
    raise ConnectionError(f"cannot connect to RabbitMQ ({role}) after {attempts + 1} attempts: "
                          f"{type(last).__name__}; check ELASTICIO_AMQP_URI and that the broker runs")


class Consumer:
    """Consumes the step's queue with manual acks; lives in the thread that calls ``serve``."""

    def __init__(self, uri: str, queue_name: str, prefetch: int, on_delivery: Callable[[Delivery], None], *,
                 reconnect_attempts: int = 3, reconnect_delay_ms: int = 100, log: Logger | None = None) -> None:
        self.uri = uri
        self.queue_name = queue_name
        self.prefetch = max(1, prefetch)
        self.on_delivery = on_delivery
        self.reconnect_attempts = reconnect_attempts
        self.reconnect_delay_ms = reconnect_delay_ms
        self.log = log or get_logger("sailor")
        self.generation = 0
        self._connection: pika.BlockingConnection | None = None
        self._channel: Any = None
        self._consumer_tag: str | None = None
        self._lock = threading.Lock()

    def connect(self) -> None:
        """Open the read connection and the consumer channel (prefetch set, not consuming yet)."""
        connection = connect(self.uri, "read", attempts=self.reconnect_attempts,
                             delay_ms=self.reconnect_delay_ms, log=self.log)
        channel = connection.channel()
        channel.basic_qos(prefetch_count=self.prefetch)
        with self._lock:
            self._connection, self._channel = connection, channel
            self.generation += 1

    def start(self) -> None:
        self._consumer_tag = self._channel.basic_consume(self.queue_name, self._on_message, auto_ack=False)
        self.log.debug("Started listening for messages", queue=self.queue_name, prefetch=self.prefetch)

    def _on_message(self, _channel: Any, method: Any, props: Any, body: bytes) -> None:
        delivery = Delivery(tag=method.delivery_tag, body=bytes(body), properties=properties_dict(props),
                            generation=self.generation, redelivered=bool(method.redelivered))
        self.on_delivery(delivery)

    def serve(self, stopping: Callable[[], bool], drained: Callable[[], bool]) -> None:
        """Pump the connection until ``stopping()``; then stop consuming and pump until ``drained()``.

        Pumping while draining matters: acks of in-flight messages are executed here.
        """
        cancelled = False
        while True:
            if stopping() and not cancelled:
                self.cancel()
                cancelled = True
            if cancelled and drained():
                return
            try:
                self._connection.process_data_events(time_limit=POLL_SECONDS)
            except CONNECTION_ERRORS as exc:
                self.log.error("AMQP read connection lost; reconnecting", error=type(exc).__name__)
                self._reconnect(consume=not cancelled)

    def _reconnect(self, consume: bool) -> None:
        self._close_quietly()
        self.connect()
        if consume:
            self.start()

    def cancel(self) -> None:
        """Stop receiving new messages; deliveries already received keep running."""
        if self._consumer_tag is None:
            return
        try:
            self._channel.basic_cancel(self._consumer_tag)
        except CONNECTION_ERRORS as exc:
            self.log.warn("could not cancel the consumer", error=type(exc).__name__)
        self._consumer_tag = None
        self.log.debug("Stopped listening for messages", queue=self.queue_name)

    def settle(self, delivery: Delivery, ack: bool) -> concurrent.futures.Future:
        """Ack (or reject without requeue) ``delivery`` from any thread; the future completes when done."""
        done: concurrent.futures.Future = concurrent.futures.Future()

        def do_settle() -> None:
            try:
                done.set_result(self._settle_here(delivery, ack))
            except Exception as exc:  # reported to the awaiting message, never lost in pika's loop
                done.set_exception(exc)

        with self._lock:
            connection = self._connection
        try:
            if connection is None:
                raise px.ConnectionWrongStateError("reconnecting")
            connection.add_callback_threadsafe(do_settle)
        except CONNECTION_ERRORS:
            self.log.warn("connection closed before settling; the broker will redeliver", tag=delivery.tag)
            done.set_result(False)
        return done

    def _settle_here(self, delivery: Delivery, ack: bool) -> bool:
        if delivery.generation != self.generation:
            self.log.warn("delivery from a lost channel not settled; the broker redelivers it", tag=delivery.tag)
            return False
        if ack:
            self._channel.basic_ack(delivery.tag)
        else:
            self._channel.basic_reject(delivery.tag, requeue=False)
        self.log.debug("Message ack" if ack else "Message reject", deliveryTag=delivery.tag)
        return True

    def close(self) -> None:
        self._close_quietly()

    def _close_quietly(self) -> None:
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None and connection.is_open:
            with contextlib.suppress(CONNECTION_ERRORS):
                connection.close()


_STOP = object()


class Publisher:
    """Publishes with confirms on its own thread and connection; ``publish`` is callable from anywhere."""

    def __init__(self, uri: str, exchange: str, *, retry_delay_ms: int = 100, max_retry_delay_ms: int = 300000,
                 retry_attempts: float = float("inf"), reconnect_attempts: int = 3, reconnect_delay_ms: int = 100,
                 log: Logger | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        self.uri = uri
        self.exchange = exchange
        self.retry_delay_ms = retry_delay_ms
        self.max_retry_delay_ms = max_retry_delay_ms
        self.retry_attempts = retry_attempts
        self.reconnect_attempts = reconnect_attempts
        self.reconnect_delay_ms = reconnect_delay_ms
        self.log = log or get_logger("sailor")
        self._sleep = sleep
        self._jobs: queue.Queue = queue.Queue()
        self._connection: pika.BlockingConnection | None = None
        self._channel: Any = None
        self._thread: threading.Thread | None = None
        self._ready = concurrent.futures.Future()

    def start(self) -> None:
        """Connect on the publisher thread; raise here if the broker cannot be reached."""
        self._thread = threading.Thread(target=self._run, name="sailor-publisher", daemon=True)
        self._thread.start()
        self._ready.result()

    def publish(self, out: Outgoing) -> concurrent.futures.Future:
        """Queue ``out`` for the step's exchange; the future says whether it was routed (``False``: unroutable)."""
        done: concurrent.futures.Future = concurrent.futures.Future()
        self._jobs.put((out, done))
        return done

    def close(self, timeout: float = 30.0) -> None:
        """Publish what is queued, then close the connection."""
        if self._thread is None:
            return
        self._jobs.put(_STOP)
        self._thread.join(timeout)
        self._thread = None

    def _run(self) -> None:
        try:
            self._open()
        except Exception as exc:
            self._ready.set_exception(exc)
            return
        self._ready.set_result(True)
        while True:
            try:
                job = self._jobs.get(timeout=POLL_SECONDS)
            except queue.Empty:
                self._pump()
                continue
            if job is _STOP:
                break
            out, done = job
            self._publish_with_retries(out, done)
        self._drop()

    def _open(self) -> None:
        self._connection = connect(self.uri, "write", attempts=self.reconnect_attempts,
                                   delay_ms=self.reconnect_delay_ms, log=self.log)
        self._channel = self._connection.channel()
        self._channel.confirm_delivery()

    def _pump(self) -> None:
        """Serve heartbeats while idle, so an idle publisher keeps its connection."""
        if self._connection is None:
            return
        try:
            self._connection.process_data_events(time_limit=0)
        except CONNECTION_ERRORS as exc:
            self.log.warn("AMQP write connection lost while idle", error=type(exc).__name__)
            self._drop()

    def _publish_with_retries(self, out: Outgoing, done: concurrent.futures.Future) -> None:
        for iteration in itertools.count():
            try:
                done.set_result(self._publish_once(out, iteration))
                return
            except px.ChannelClosedByBroker as exc:  # e.g. the exchange does not exist: retrying cannot help
                self._drop()
                done.set_exception(PublishError(f"broker refused the message ({exc.reply_code} {exc.reply_text})"))
                return
            except (*CONNECTION_ERRORS, px.NackError, ConnectionError) as exc:
                self._drop()
                if iteration + 1 >= self.retry_attempts:
                    done.set_exception(PublishError(f"failed publishing to {out.routing_key!r} after "
                                                    f"{iteration + 1} attempts: {type(exc).__name__}"))
                    return
                delay = min(self.retry_delay_ms * 2 ** iteration, self.max_retry_delay_ms)
                self.log.error("Failed on publishing message to queue; retrying", error=type(exc).__name__,
                               retryInMs=delay)
                self._sleep(delay / 1000.0)

    def _publish_once(self, out: Outgoing, iteration: int) -> bool:
        if self._channel is None:
            self._open()
        props = dict(out.properties)
        if iteration:
            props["headers"] = {**(props.get("headers") or {}), "retry": iteration}
        try:
            self._channel.basic_publish(self.exchange, out.routing_key, out.body,
                                        pika.BasicProperties(**props), mandatory=True)
        except px.UnroutableError:
            self.log.warn("message returned as unroutable (no queue bound)", exchange=self.exchange,
                          routingKey=out.routing_key)
            return False
        return True

    def _drop(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            with contextlib.suppress(CONNECTION_ERRORS):
                connection.close()
