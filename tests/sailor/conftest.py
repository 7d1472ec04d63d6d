"""Fixtures for the sailor tests: a fake platform API, a per-test RabbitMQ topology, a sailor env.

Tests marked ``rabbitmq`` need a broker on 127.0.0.1:5672 (guest/guest). When none answers they fail
with a pointer to ``scripts/ensure_rabbitmq.sh``, which installs and starts one (the project's test
command runs it first).
"""

from __future__ import annotations

import json
import socket
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pika
import pytest
from eiosdk.sailor.crypto import MessageCipher
from eiosdk.sailor.local_platform import StepNames, declare_step, delete_step

from .fake_platform import FakePlatform

AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/%2F"
FIXTURE_COMPONENT = Path(__file__).parent / "fixtures" / "component"
CRYPTO_PASSWORD = "testCryptoPassword"
CRYPTO_IV = "iv=any16_symbols"
ROLES = ("data", "error", "snapshot", "rebound", "reply")


def broker_answers(host: str = "127.0.0.1", port: int = 5672) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _needs_broker(request):
    if request.node.get_closest_marker("rabbitmq") and not broker_answers():
        pytest.fail("RabbitMQ does not answer on 127.0.0.1:5672; run `bash scripts/ensure_rabbitmq.sh` "
                    "(installs Debian's rabbitmq-server if needed and starts it), then re-run the tests",
                    pytrace=False)


@pytest.fixture
def cipher() -> MessageCipher:
    return MessageCipher(CRYPTO_PASSWORD, CRYPTO_IV)


@pytest.fixture
def platform():
    fake = FakePlatform()
    yield fake
    fake.close()


@dataclass
class Topology:
    """What the platform declares for one step: a durable direct exchange and queues bound to its keys."""

    prefix: str
    exchange: str
    input_queue: str
    input_key: str
    keys: dict[str, str]
    queues: dict[str, str]
    connection: Any = field(repr=False)
    channel: Any = field(repr=False)

    def publish_input(self, message: dict | None = None, *, cipher: MessageCipher | None = None, protocol: int = 1,
                      headers: dict | None = None, body: bytes | None = None, message_id: str | None = None) -> str:
        """Publish one step input as the previous step would; returns its messageId."""
        message_id = message_id or str(uuid.uuid4())
        head = {"execId": "exec-1", "taskId": "flow-1", "userId": "user-1", "workspaceId": "ws-1",
                "threadId": "thread-1", "stepId": "step_1", "messageId": message_id, **(headers or {})}
        if protocol != 1:
            head["protocolVersion"] = protocol
        if body is None:
            body = cipher.encode(message if message is not None else {"body": {}}, protocol)
        props = pika.BasicProperties(content_type="application/json", content_encoding="utf8", headers=head)
        self.channel.basic_publish(self.exchange, self.input_key, body, props)
        return message_id

    def get(self, role: str, timeout: float = 10.0):
        """The next message on the queue bound to ``role`` as (properties, body), or ``None`` in time."""
        return self.get_from(self.queues[role], timeout)

    def get_from(self, queue: str, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            method, props, body = self.channel.basic_get(queue, auto_ack=True)
            if method is not None:
                return props, body
            self.connection.sleep(0.02)
        return None

    def depth(self, queue: str) -> int:
        return self.channel.queue_declare(queue, passive=True).method.message_count

    def input_state(self) -> tuple[int, int]:
        """(ready, unacked) of the input queue, from a passive declare (ready) and the consumer count."""
        result = self.channel.queue_declare(self.input_queue, passive=True).method
        return result.message_count, result.consumer_count


@pytest.fixture
def topology():
    if not broker_answers():
        pytest.fail("RabbitMQ does not answer on 127.0.0.1:5672; run `bash scripts/ensure_rabbitmq.sh`",
                    pytrace=False)
    names = StepNames(flow_id=f"sailortest-{uuid.uuid4().hex[:10]}", exec_id="exec")
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URI))
    channel = connection.channel()
    declare_step(channel, names, ROLES, durable=True)
    keys = {role: names.key(role) for role in ROLES}
    queues = {role: names.queue(role) for role in ROLES}
    topo = Topology(names.flow_id, names.exchange, names.input_queue, names.input_key, keys, queues, connection,
                    channel)
    yield topo
    cleanup = pika.BlockingConnection(pika.URLParameters(AMQP_URI)).channel()
    delete_step(cleanup, names, ROLES)
    cleanup.connection.close()
    if connection.is_open:
        connection.close()


def sailor_env(topology: Topology, platform: FakePlatform, function: str, **extra: Any) -> dict[str, str]:
    """The environment the platform would give the step container running ``function``."""
    env = {
        "ELASTICIO_FLOW_ID": "flow-1", "ELASTICIO_EXEC_ID": "exec-1", "ELASTICIO_STEP_ID": "step_2",
        "ELASTICIO_CONTAINER_ID": "container-1", "ELASTICIO_WORKSPACE_ID": "ws-1", "ELASTICIO_USER_ID": "user-1",
        "ELASTICIO_COMP_ID": "comp-1", "ELASTICIO_FUNCTION": function,
        "ELASTICIO_API_URI": platform.url, "ELASTICIO_API_USERNAME": platform.username,
        "ELASTICIO_API_KEY": platform.key, "ELASTICIO_AMQP_URI": AMQP_URI,
        "ELASTICIO_LISTEN_MESSAGES_ON": topology.input_queue, "ELASTICIO_PUBLISH_MESSAGES_TO": topology.exchange,
        "ELASTICIO_DATA_ROUTING_KEY": topology.keys["data"], "ELASTICIO_ERROR_ROUTING_KEY": topology.keys["error"],
        "ELASTICIO_REBOUND_ROUTING_KEY": topology.keys["rebound"],
        "ELASTICIO_SNAPSHOT_ROUTING_KEY": topology.keys["snapshot"],
        "ELASTICIO_MESSAGE_CRYPTO_IV": CRYPTO_IV, "ELASTICIO_MESSAGE_CRYPTO_PASSWORD": CRYPTO_PASSWORD,
        "ELASTICIO_AMQP_PUBLISH_RETRY_ATTEMPTS": "3",
    }
    env.update({f"ELASTICIO_{k}" if not k.startswith("ELASTICIO_") else k: str(v) for k, v in extra.items()})
    return env


def step_data(config: dict | None = None, **more: Any) -> dict[str, Any]:
    return {"id": "step_2", "comp_id": "comp-1", "config": config or {}, "snapshot": {}, **more}


def json_body(body: bytes) -> Any:
    return json.loads(body.decode("utf-8"))
