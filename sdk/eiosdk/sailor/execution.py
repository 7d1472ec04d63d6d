"""One delivery through the step: decode, run ``process`` via the SDK executor, publish its events, settle.

The order of obligations is the platform's (sailor-nodejs ``processMessage``/``runExec``):

1. an undecryptable delivery is rejected (no requeue) and goes no further;
2. a delivery whose ``messageId`` is already being processed (a redelivery after a reconnect) is not run
   again: the first run settles the newest delivery of that id when it ends; and a *redelivered* one
   whose run already ended before a reconnect (its ack may have been lost with the connection) is
   settled with that run's verdict, not run again;
3. every event the step emits is published as it happens (``outgoing`` builds the bytes);
4. on ``end`` the input is acked when no ``error`` was published, else rejected without requeue.
   Nothing is settled before ``end``, so a crash mid-step leaves the input to be redelivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..executor import execute
from ..logging import LEVELS, Logger, configured_level, get_logger, level_number
from .bus import Bus
from .crypto import MessageCipher, PayloadError
from .delivery import Delivery, decode_input
from .headers import container_headers, incoming_headers, now_ms, outgoing_headers
from .outgoing import (
    NoReplyTo,
    Outgoing,
    OutgoingTooLarge,
    data_message,
    error_messages,
    http_reply,
    rebound_messages,
    snapshot_message,
    with_passthrough,
)
from .platform_api import PlatformApi
from .settings import Settings
from .throttle import Throttle

REDELIVERY_WAIT = 10.0  # seconds a finished run waits for the redelivery of its input after a reconnect
SETTLED_MEMORY = 1000  # message ids remembered with the verdict their run ended with
EVENT_HANDLERS = {
    "data": "on_data", "error": "on_error", "rebound": "on_rebound", "snapshot": "on_snapshot",
    "updateSnapshot": "on_update_snapshot", "httpReply": "on_http_reply", "updateKeys": "on_update_keys",
    "end": "on_end",
}


@dataclass
class StepState:
    """What every message of this container shares: the step, its config, the snapshot, the throttles."""

    settings: Settings
    cipher: MessageCipher
    step: Any
    step_data: Mapping[str, Any]
    api: PlatformApi | None = None
    log: Logger = field(default_factory=lambda: get_logger("sailor"))
    snapshot: Any = None
    throttles: dict[str, Throttle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        s = self.settings
        # Built once per container, not per message: what every message run's headers and logs share.
        self.container = container_headers(s)
        self.log_context = {"flowId": s.flow_id, "execId": s.exec_id, "stepId": s.step_id, "compId": s.comp_id,
                            "function": s.function, "containerId": s.container_id, **s.log_context}
        self.is_passthrough = self.step_data.get("is_passthrough") is True
        self.variables = self.step_data.get("variables") or {}
        if self.snapshot is None:
            self.snapshot = copy.deepcopy(self.step_data.get("snapshot") or {})
        self.throttles = self.throttles or {
            "data": Throttle(s.data_rate_limit, s.rate_interval),
            "error": Throttle(s.error_rate_limit, s.rate_interval),
            "snapshot": Throttle(s.snapshot_rate_limit, s.rate_interval),
        }

    @property
    def cfg(self) -> dict[str, Any]:
        """A copy of the step's config, the step's to change."""
        return copy.deepcopy(self.raw_cfg)

    @property
    def raw_cfg(self) -> dict[str, Any]:
        """The config itself, for callers that copy it anyway (the executor deep-copies what it hands a step)."""
        return self.step_data.get("config") or {}


def tracing() -> bool:
    """Whether trace lines are written (what ``Logger.log`` checks, read once instead of per line)."""
    chosen = configured_level()
    return level_number(chosen if chosen is not None else os.environ.get("LOG_LEVEL")) <= LEVELS["trace"]


class InFlight:
    """Message ids being processed, each with its newest delivery (used on the loop thread only).

    After a reconnect the broker redelivers unacked messages on the new channel; the run that is
    already processing one settles that newest delivery instead of running the message twice.
    """

    def __init__(self) -> None:
        self._latest: dict[str, Delivery] = {}
        self._changed: dict[str, asyncio.Event] = {}
        self._settled: OrderedDict[str, tuple[int, bool]] = OrderedDict()  # id -> (generation, ack)

    def settled(self, message_id: str | None, delivery: Delivery) -> bool | None:
        """The verdict of a run of this message that already ended, when ``delivery`` is its redelivery
        after a reconnect (the ack went out on a connection that was then lost); None otherwise."""
        if not message_id or not delivery.redelivered or message_id not in self._settled:
            return None
        generation, ack = self._settled[message_id]
        return ack if delivery.generation > generation else None

    def remember(self, message_id: str | None, generation: int, ack: bool) -> None:
        if message_id:
            self._settled[message_id] = (generation, ack)
            self._settled.move_to_end(message_id)
            while len(self._settled) > SETTLED_MEMORY:
                self._settled.popitem(last=False)

    def claim(self, message_id: str | None, delivery: Delivery) -> bool:
        """``True`` when this delivery should run; ``False`` for a duplicate of a running one."""
        if not message_id:
            return True
        duplicate = message_id in self._latest
        self._latest[message_id] = delivery
        if duplicate and message_id in self._changed:
            self._changed[message_id].set()
        return not duplicate

    def latest(self, message_id: str | None, delivery: Delivery) -> Delivery:
        return self._latest.get(message_id, delivery) if message_id else delivery

    async def current(self, message_id: str | None, delivery: Delivery, generation: int,
                      wait: float) -> Delivery:
        """The newest delivery; when it belongs to a lost channel, wait up to ``wait`` s for its redelivery."""
        target = self.latest(message_id, delivery)
        if not message_id or target.generation >= generation:
            return target
        event = self._changed.setdefault(message_id, asyncio.Event())
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(event.wait(), wait)
        return self.latest(message_id, delivery)

    def release(self, message_id: str | None) -> None:
        if message_id:
            self._latest.pop(message_id, None)
            self._changed.pop(message_id, None)


class MessageHandler:
    """Turns deliveries into step executions; one instance per container, called on the asyncio loop."""

    def __init__(self, state: StepState, bus: Bus, *, redelivery_wait: float = REDELIVERY_WAIT) -> None:
        self.state = state
        self.bus = bus
        self.inflight = InFlight()
        self.redelivery_wait = redelivery_wait

    async def handle(self, delivery: Delivery) -> None:
        log = self.state.log
        try:
            payload = decode_input(delivery, self.state.cipher, self.state.settings.input_format)
        except PayloadError as exc:
            log.error("Error occurred while parsing message payload", deliveryTag=delivery.tag, error=str(exc))
            await self.bus.settle(delivery, False)
            return
        incoming = incoming_headers(delivery.properties.get("headers"))  # it copies what it keeps
        message_id = incoming.get("messageId")
        if not message_id:
            log.warn("Message does not have messageId")
        verdict = self.inflight.settled(message_id, delivery)
        if verdict is not None:
            log.warn("Message already processed before the connection was lost; settling its redelivery "
                     "without running it again", messageId=message_id, ack=verdict)
            await self.bus.settle(delivery, verdict)
            return
        if not self.inflight.claim(message_id, delivery):
            log.warn("Duplicate message detected; the run already processing it settles it",
                     messageId=message_id)
            return
        try:
            await MessageRun(self, delivery, payload, incoming).run()
        finally:
            self.inflight.release(message_id)


class MessageRun:
    """The events of one execution, published as they come; settles the input on ``end``."""

    def __init__(self, handler: MessageHandler, delivery: Delivery, payload: dict[str, Any],
                 incoming: dict[str, Any]) -> None:
        self.handler = handler
        self.state = handler.state
        self.bus = handler.bus
        self.delivery = delivery
        self.payload = payload
        self.incoming = incoming
        self.headers = outgoing_headers(incoming, self.state.settings, container=self.state.container)
        self.errors = 0
        self.settled = False
        self.tracing = False
        self._context = {k: incoming.get(k) or "unknown" for k in ("threadId", "messageId", "parentMessageId")}
        self.component_log = get_logger("component", **self.state.log_context, **self._context)

    @functools.cached_property
    def log(self) -> Logger:
        """The sailor's logger for this message (made when a line is written: most messages write none)."""
        return self.state.log.child(**self._context, deliveryTag=self.delivery.tag)

    async def run(self) -> None:
        self.tracing = tracing()  # looked up once per message for both trace lines
        if self.tracing:
            self.log.trace("processMessage received")
        try:
            # The executor deep-copies cfg and snapshot and hands the step a message of its own (its
            # parts copied); the payload is copied deeply here only when passthrough reads it again later.
            payload = copy.deepcopy(self.payload) if self.state.is_passthrough else self.payload
            await execute(self.state.step, payload, self.state.raw_cfg, self.state.snapshot, self.emit,
                          logger=self.component_log, flow_variables=self.state.variables)
        except Exception as exc:  # an event could not be published: never ack what was not reported
            self.log.error("Something very bad happened during message processing", err=exc)
            self.errors += 1
        finally:
            if not self.settled:
                await self._settle()

    async def emit(self, event: str, payload: Any) -> None:
        """The executor's ``emit``: one handler per platform event."""
        name = EVENT_HANDLERS.get(event)
        if name is None:
            self.log.warn("event %s is not handled by the sailor; ignored", event)
            return
        await getattr(self, name)(payload)

    async def on_data(self, message: Any) -> None:
        # The executor hands over a JSON-clean Message of its own (``Message.of``); it is read here and
        # encrypted before anything else runs, so its parts need no copy.
        parts = getattr(message, "parts", None)  # duck-typed: pydantic (behind Message) loads on first use
        data = parts() if callable(parts) else dict(message)
        if self.state.is_passthrough:  # else it would only copy what data_message copies again
            data = with_passthrough(data, self.payload, self.incoming.get("stepId"), self.state.settings, True)
        try:
            out = data_message(data, self.headers, self.state.settings, self.state.cipher)
            await self._publish([out], "data")
        except (OutgoingTooLarge, RuntimeError, ConnectionError) as exc:
            self.log.error("could not publish the emitted data; reporting it as the step's error", error=str(exc))
            await self.on_error(exc)

    async def on_error(self, error: Any) -> None:
        self.errors += 1
        headers = {**self.headers, "end": now_ms()}
        outs = error_messages(error, headers, self.state.settings, self.state.cipher, self.delivery)
        await self._publish(outs, "error")

    async def on_rebound(self, reason: Any) -> None:
        outs = rebound_messages(reason, self.delivery, self.headers, self.state.settings, self.state.cipher)
        await self._publish(outs, "error" if outs[0].routing_key == self.state.settings.error_routing_key else "")

    async def on_snapshot(self, snapshot: Any) -> None:
        self.state.snapshot = snapshot
        await self._publish([snapshot_message(snapshot, self.headers, self.state.settings, "snapshot")],
                            "snapshot")

    async def on_update_snapshot(self, update: Any) -> None:
        if not isinstance(update, Mapping) or "$set" in update:
            self.log.error("updateSnapshot needs a plain object without $set; ignored")
            return
        if isinstance(self.state.snapshot, dict):
            self.state.snapshot.update(update)
        else:
            self.state.snapshot = dict(update)
        await self._publish([snapshot_message(update, self.headers, self.state.settings, "updateSnapshot")], "")

    async def on_http_reply(self, reply: Any) -> None:
        try:
            out = http_reply(reply, self.headers, self.state.settings, self.state.cipher)
        except NoReplyTo:
            self.log.error("httpReply emitted but the message has no reply_to")
            raise
        await self._publish([out], "")

    async def on_update_keys(self, keys: Any) -> None:
        api = self.state.api
        try:
            if api is None:
                raise RuntimeError("updateKeys needs the platform API (ELASTICIO_API_URI)")
            await asyncio.to_thread(api.update_account_keys, self.state.cfg.get("_account"), keys)
            self.log.debug("Successfully updated keys")
        except Exception as exc:  # reported as the step's error, as the Node sailor does
            self.log.error("Failed to update keys", error=str(exc))
            await self.on_error(exc)

    async def on_end(self, _payload: Any = None) -> None:
        if self.settled:
            self.log.warn("processMessage emit end was called more than once")
            return
        await self._settle()

    async def _settle(self) -> None:
        self.settled = True
        inflight, message_id = self.handler.inflight, self.incoming.get("messageId")
        target = inflight.latest(message_id, self.delivery)
        if target.generation < self.bus.generation:  # its channel was lost: wait for the redelivery
            target = await inflight.current(message_id, self.delivery, self.bus.generation,
                                            self.handler.redelivery_wait)
        ack = self.errors == 0
        await self.bus.settle(target, ack)
        self.handler.inflight.remember(self.incoming.get("messageId"), target.generation, ack)
        if self.tracing:
            self.log.trace("processMessage emit end", errorCount=self.errors, ack=ack)

    async def _publish(self, outs: list[Outgoing], throttle: str) -> None:
        limiter = self.state.throttles.get(throttle)
        for out in outs:
            if limiter is not None:
                await limiter.wait()
            await self.bus.publish(out)
