"""A stand-in for the platform around one step, so a real sailor can be tried on a local RabbitMQ.

What the platform does for a step container, ``LocalPlatform.run`` does once, for one step:

1. declares a uniquely named flow on the broker: a direct exchange, the step's input queue and one
   queue per output (data, error, snapshot, rebound), bound to the step's routing keys
   (``StepNames``; the queues expire on their own if this process dies before it deletes them);
2. serves the step's data (``config`` = credentials + step fields) on a loopback REST API
   (``eiosdk.sailor.local_api.PlatformApiServer``) with a fresh API key;
3. writes the step's ``ELASTICIO_*`` environment, with a fresh crypto password and IV, as
   ``KEY=value`` lines to a file (mode 0600: it holds the secrets), for ``set -a; . ./step.env``
   or ``docker run --env-file``;
4. once a consumer is on the input queue, publishes each input message encrypted as the platform
   does (AES-256-CBC, protocol 1, the previous step's headers);
5. prints every output the step emits, decrypted, as one JSON line on ``out``:
   ``{"event": "data", "message": M}``, ``{"event": "error", "error": {name, message, stack},
   "errorInput": M}``, ``{"event": "snapshot"|"updateSnapshot", "snapshot": S}``,
   ``{"event": "rebound", "reason", "iteration", "expiration", "message": M}``;
6. stops after ``expect`` outputs or at ``timeout`` and deletes what it declared.

``run`` answers 0 when the expected outputs arrived (or the time ran out with no ``expect``) and none
was an error, 1 otherwise. Progress goes to ``err``; secrets are never printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shlex
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pika
import pika.exceptions as px

from ..errors import SdkError
from ..logging import redact_text, register_secret
from .crypto import MessageCipher, PayloadError, to_json
from .headers import protocol_version
from .local_api import PlatformApiServer

DEFAULT_AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/%2F"
ROLES = ("data", "error", "snapshot", "rebound")
POLL_SECONDS = 0.1
EXPIRY_MARGIN_SECONDS = 60
IDS = {"USER_ID": "local-user", "WORKSPACE_ID": "local-workspace", "CONTAINER_ID": "local-container",
       "COMP_ID": "local-component"}


class LocalPlatformError(SdkError):
    """The local platform cannot start (broker unreachable, env file not writable...)."""


@dataclass(frozen=True)
class StepNames:
    """The names the platform gives one step of one flow: exchange, queues and routing keys."""

    flow_id: str
    exec_id: str
    step_id: str = "step_2"
    previous_step_id: str = "step_1"

    @classmethod
    def fresh(cls, prefix: str = "eiosdk-local") -> StepNames:
        token = uuid.uuid4().hex[:12]
        return cls(flow_id=f"{prefix}-{token}", exec_id=f"exec-{token}")

    @property
    def exchange(self) -> str:
        return f"{self.flow_id}:exchange"

    @property
    def input_queue(self) -> str:
        return f"{self.flow_id}:{self.step_id}:messages"

    @property
    def input_key(self) -> str:
        return f"{self.flow_id}.{self.exec_id}.{self.previous_step_id}.message"

    def key(self, role: str) -> str:
        return f"{self.flow_id}.{self.exec_id}.{self.step_id}.{role}"

    def queue(self, role: str) -> str:
        return f"{self.flow_id}:{self.step_id}:{role}"

    def bindings(self, roles: tuple[str, ...] = ROLES) -> list[tuple[str, str]]:
        """(queue, routing key) of the input and of each output role."""
        return [(self.input_queue, self.input_key), *((self.queue(r), self.key(r)) for r in roles)]


def declare_step(channel: Any, names: StepNames, roles: tuple[str, ...] = ROLES, *, durable: bool = False,
                 expires_ms: int | None = None) -> None:
    """Declare the step's exchange and queues as the platform does (the sailor declares nothing)."""
    arguments = {"x-expires": expires_ms} if expires_ms else None
    channel.exchange_declare(names.exchange, exchange_type="direct", durable=durable)
    for queue, key in names.bindings(roles):
        channel.queue_declare(queue, durable=durable, arguments=arguments)
        channel.queue_bind(queue, names.exchange, routing_key=key)


def delete_step(channel: Any, names: StepNames, roles: tuple[str, ...] = ROLES) -> None:
    for queue, _ in names.bindings(roles):
        channel.queue_delete(queue)
    channel.exchange_delete(names.exchange)


@dataclass(frozen=True)
class StepRun:
    """What to run: the step, its config, its inputs, where the env goes and when to stop."""

    function: str
    cfg: dict[str, Any]
    env_out: Path
    bodies: list[Any] = field(default_factory=lambda: [{}])
    amqp_uri: str = DEFAULT_AMQP_URI
    expect: int | None = None
    timeout: float = 120.0
    component_path: Path | None = None
    snapshot: dict[str, Any] = field(default_factory=dict)


def step_environment(run: StepRun, names: StepNames, api: PlatformApiServer, password: str,
                     iv: str) -> dict[str, str]:
    """The ``ELASTICIO_*`` variables the platform would give the step's container."""
    env = {
        "FLOW_ID": names.flow_id, "EXEC_ID": names.exec_id, "STEP_ID": names.step_id, **IDS,
        "FUNCTION": run.function, "API_URI": api.url, "API_USERNAME": api.username, "API_KEY": api.key,
        "AMQP_URI": run.amqp_uri, "LISTEN_MESSAGES_ON": names.input_queue,
        "PUBLISH_MESSAGES_TO": names.exchange, "DATA_ROUTING_KEY": names.key("data"),
        "ERROR_ROUTING_KEY": names.key("error"), "REBOUND_ROUTING_KEY": names.key("rebound"),
        "SNAPSHOT_ROUTING_KEY": names.key("snapshot"), "MESSAGE_CRYPTO_PASSWORD": password,
        "MESSAGE_CRYPTO_IV": iv,
    }
    if run.component_path is not None:
        env["COMPONENT_PATH"] = str(Path(run.component_path).resolve())
    return {f"ELASTICIO_{name}": value for name, value in env.items()}


def write_env_file(path: Path, env: dict[str, str]) -> None:
    """``KEY=value`` lines, mode 0600 from the start, replacing ``path`` in one step (so a reader
    polling for a non-empty file never sees half of it)."""
    text = "".join(f"{key}={shlex.quote(value)}\n" for key, value in env.items())
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise LocalPlatformError(f"cannot write the step environment to {path}: {exc.strerror or exc}") from None


def input_message(body: Any) -> dict[str, Any]:
    """A new message as the platform's previous step would send it (elasticio-node ``newMessage``)."""
    return {"id": str(uuid.uuid4()), "attachments": {}, "body": body, "headers": {}, "metadata": {}}


def input_properties(names: StepNames, message_id: str) -> pika.BasicProperties:
    headers = {"execId": names.exec_id, "taskId": names.flow_id, "userId": IDS["USER_ID"],
               "workspaceId": IDS["WORKSPACE_ID"], "threadId": str(uuid.uuid4()),
               "stepId": names.previous_step_id, "messageId": message_id}
    return pika.BasicProperties(content_type="application/json", content_encoding="utf8", headers=headers)


def decode_output(role: str, properties: Any, body: bytes, cipher: MessageCipher) -> dict[str, Any]:
    """One published output as a JSON-able record (see the module docstring for the shapes)."""
    headers = dict(properties.headers or {})
    try:
        if role == "data":
            return {"event": "data", "message": cipher.decode(body, protocol_version(headers))}
        if role == "error":
            return _error_record(json.loads(body), cipher)
        if role == "snapshot":
            return {"event": _text(headers.get("snapshotEvent")) or "snapshot", "snapshot": json.loads(body)}
        return {"event": "rebound", "reason": _text(headers.get("reboundReason")),
                "iteration": headers.get("reboundIteration"), "expiration": _int(properties.expiration),
                "message": cipher.decode(body, protocol_version(headers))}
    except (PayloadError, ValueError) as exc:
        return {"event": role, "undecodable": str(exc)}


def _error_record(payload: dict[str, Any], cipher: MessageCipher) -> dict[str, Any]:
    record = {"event": "error", "error": cipher.decode(payload["error"])}
    if payload.get("errorInput"):
        record["errorInput"] = cipher.decode(payload["errorInput"])
    return record


def _text(value: Any) -> str | None:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class Outputs:
    """Prints each output as it arrives and counts them."""

    def __init__(self, cipher: MessageCipher, out: TextIO) -> None:
        self._cipher = cipher
        self._out = out
        self.count = 0
        self.errors = 0

    def callback(self, role: str) -> Callable[..., None]:
        def on_message(_channel: Any, _method: Any, properties: Any, body: bytes) -> None:
            record = decode_output(role, properties, body, self._cipher)
            print(redact_text(to_json(record)), file=self._out, flush=True)
            self.count += 1
            self.errors += record["event"] == "error"

        return on_message


class LocalPlatform:
    """Runs one ``StepRun``: see the module docstring. ``say`` gets progress lines (never secrets)."""

    def __init__(self, run: StepRun, *, out: TextIO | None = None, say: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.run_spec = run
        self.names = StepNames.fresh()
        self._out = out or sys.stdout
        self._say = say or (lambda line: print(f"platform: {line}", file=sys.stderr, flush=True))
        self._clock = clock
        self._password, self._iv = secrets.token_urlsafe(24), secrets.token_hex(8)
        register_secret(self._password)
        self._cipher = MessageCipher(self._password, self._iv)
        self.outputs = Outputs(self._cipher, self._out)

    def run(self) -> int:
        deadline = self._clock() + self.run_spec.timeout
        with PlatformApiServer() as api, self._declared() as channel:
            register_secret(api.key)
            api.steps[(self.names.flow_id, self.names.step_id)] = self._step_data()
            env = step_environment(self.run_spec, self.names, api, self._password, self._iv)
            write_env_file(self.run_spec.env_out, env)
            self._say(f"flow {self.names.flow_id} declared on {broker_address(self.run_spec.amqp_uri)}; "
                      f"step data at {api.url}; step environment in {self.run_spec.env_out} (mode 0600)")
            try:
                return self._serve(channel, deadline)
            except px.AMQPError as exc:
                raise LocalPlatformError(f"lost RabbitMQ at {broker_address(self.run_spec.amqp_uri)} "
                                         f"({type(exc).__name__}: {exc})") from None

    def _step_data(self) -> dict[str, Any]:
        return {"id": self.names.step_id, "comp_id": IDS["COMP_ID"], "function": self.run_spec.function,
                "config": self.run_spec.cfg, "snapshot": self.run_spec.snapshot, "is_passthrough": False,
                "variables": {}}

    @contextlib.contextmanager
    def _declared(self) -> Iterator[Any]:
        """A channel on which the step's flow is declared; deleted again on leaving, whatever happened."""
        connection = connect(self.run_spec.amqp_uri)
        try:
            channel = connection.channel()
            declare_step(channel, self.names, expires_ms=self._expires_ms())
            channel.confirm_delivery()
            yield channel
        finally:
            with contextlib.suppress(px.AMQPError, OSError):
                connection.close()
            self._delete()

    def _expires_ms(self) -> int:
        """Queues unused this long are dropped by the broker: a safety net if this process is killed."""
        return int((self.run_spec.timeout + EXPIRY_MARGIN_SECONDS) * 1000)

    def _delete(self) -> None:
        """Delete the flow on a connection of its own (the serving one may be what failed)."""
        try:
            with contextlib.closing(connect(self.run_spec.amqp_uri)) as connection:
                delete_step(connection.channel(), self.names)
        except (LocalPlatformError, px.AMQPError, OSError) as exc:
            self._say(f"could not delete flow {self.names.flow_id} ({type(exc).__name__}); its queues expire "
                      f"after {self._expires_ms() // 1000} s unused")
        else:
            self._say(f"flow {self.names.flow_id} deleted")

    def _serve(self, channel: Any, deadline: float) -> int:
        for role in ROLES:
            channel.basic_consume(self.names.queue(role), self.outputs.callback(role), auto_ack=True)
        self._say(f"waiting for a sailor on queue {self.names.input_queue}")
        if not self._wait(channel, deadline, lambda: self._consumers(channel) > 0 or self._done()):
            self._say(f"no sailor consumed {self.names.input_queue} within {self.run_spec.timeout:g} s")
            return 1
        if not self._done():
            self._publish(channel)
        self._wait(channel, deadline, self._done)
        return self._verdict()

    def _wait(self, channel: Any, deadline: float, until: Callable[[], bool]) -> bool:
        """Serve outputs until ``until()`` holds (True) or the deadline passes (False)."""
        while not until():
            left = deadline - self._clock()
            if left <= 0:
                return False
            channel.connection.process_data_events(time_limit=min(POLL_SECONDS, left))
        return True

    def _consumers(self, channel: Any) -> int:
        return channel.queue_declare(self.names.input_queue, passive=True).method.consumer_count

    def _done(self) -> bool:
        return self.run_spec.expect is not None and self.outputs.count >= self.run_spec.expect

    def _publish(self, channel: Any) -> None:
        for body in self.run_spec.bodies:
            message = input_message(body)
            channel.basic_publish(self.names.exchange, self.names.input_key, self._cipher.encode(message, 1),
                                  input_properties(self.names, message["id"]), mandatory=True)
        self._say(f"a sailor consumes {self.names.input_queue}; published {len(self.run_spec.bodies)} message(s)")

    def _verdict(self) -> int:
        got, expect = self.outputs.count, self.run_spec.expect
        if expect is not None and got < expect:
            self._say(f"timed out after {self.run_spec.timeout:g} s with {got} of {expect} output(s)")
            return 1
        self._say(f"{got} output(s), {self.outputs.errors} error(s)")
        return 1 if self.outputs.errors else 0


def connect(uri: str) -> pika.BlockingConnection:
    """A blocking connection to the broker, or a ``LocalPlatformError`` naming where (not the password)."""
    try:
        params = pika.URLParameters(uri)
    except (ValueError, TypeError) as exc:
        raise LocalPlatformError(f"--amqp-uri is not an AMQP URI ({exc})") from None
    params.connection_attempts, params.socket_timeout, params.blocked_connection_timeout = 1, 10, 60
    try:
        return pika.BlockingConnection(params)
    except (px.AMQPError, OSError) as exc:
        raise LocalPlatformError(f"cannot connect to RabbitMQ at {broker_address(uri)} "
                                 f"({type(exc).__name__}); is the broker running?") from None


def broker_address(uri: str) -> str:
    """``host:port`` (and the vhost unless it is ``/``) of an AMQP URI, without its credentials."""
    params = pika.URLParameters(uri)
    vhost = "" if params.virtual_host == "/" else f" vhost {params.virtual_host}"
    return f"{params.host}:{params.port}{vhost}"
