"""The two things a message run needs from the broker, as an interface: publish, and settle the input.

``AmqpBus`` is the real one (pika on the same loop, see ``amqp``); ``MemoryBus`` records what would have been
published and settled, so message handling is testable as plain asyncio code without a broker.
"""

from __future__ import annotations

from typing import Protocol

from .amqp import Consumer, Publisher
from .delivery import Delivery
from .outgoing import Outgoing


class Bus(Protocol):
    generation: int  # bumped on every consumer reconnect; deliveries of older generations cannot be settled

    async def publish(self, out: Outgoing) -> bool:
        """Publish to the step's exchange; ``False`` when the broker returned it as unroutable."""

    async def settle(self, delivery: Delivery, ack: bool) -> None:
        """Ack the input (``ack``) or reject it without requeue."""


class AmqpBus:
    """Publish and settle straight on the loop's pika connections (no thread in between)."""

    def __init__(self, consumer: Consumer, publisher: Publisher) -> None:
        self.consumer = consumer
        self.publisher = publisher

    @property
    def generation(self) -> int:
        return self.consumer.generation

    async def publish(self, out: Outgoing) -> bool:
        return await self.publisher.publish(out)

    async def settle(self, delivery: Delivery, ack: bool) -> None:
        self.consumer.settle(delivery, ack)


class MemoryBus:
    """In-memory bus: ``published`` holds every ``Outgoing`` in order, ``settled`` every (tag, ack)."""

    def __init__(self) -> None:
        self.generation = 0
        self.published: list[Outgoing] = []
        self.settled: list[tuple[int, bool]] = []

    async def publish(self, out: Outgoing) -> bool:
        self.published.append(out)
        return True

    async def settle(self, delivery: Delivery, ack: bool) -> None:
        self.settled.append((delivery.tag, ack))

    def routed(self, routing_key: str) -> list[Outgoing]:
        return [o for o in self.published if o.routing_key == routing_key]
