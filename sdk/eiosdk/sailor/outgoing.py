"""What the sailor publishes for each event, as plain records: routing key, body bytes, AMQP properties.

Pure functions of (settings, cipher, headers, payload), mirroring ``amqp.js`` of sailor-nodejs 2.7.x:

==============  =========================  ======================================================
event           routing key                body
==============  =========================  ======================================================
data            DATA (or x-eio-routing-key) encrypted per ``ELASTICIO_PROTOCOL_VERSION``
error           ERROR (+ reply_to)          JSON ``{error, errorInput}``, both base64 ciphertext
snapshot        SNAPSHOT                    plain JSON, header ``snapshotEvent``
rebound         REBOUND                     the original bytes and properties, ``expiration`` set
httpReply       incoming ``reply_to``       encrypted, always protocol 1
==============  =========================  ======================================================
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..ids import new_id
from ..logging import redact_text, serialize_error
from .crypto import MessageCipher, to_json
from .delivery import Delivery
from .headers import ERROR_RESPONSE_HEADER, amqp_safe, now_ms, protocol_version, split_routing_key
from .settings import Settings


class OutgoingTooLarge(ValueError):
    """An encrypted message over ``ELASTICIO_OUTGOING_MESSAGE_SIZE_LIMIT``: reported as the step's error."""


class NoReplyTo(ValueError):
    """``httpReply`` emitted for a message that did not come with a ``reply_to`` header."""


@dataclass(frozen=True)
class Outgoing:
    routing_key: str
    body: bytes
    properties: Mapping[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, Any]:
        return dict(self.properties.get("headers") or {})


def properties(headers: Mapping[str, Any], settings: Settings, **more: Any) -> dict[str, Any]:
    """``_createPropsFromHeaders``: JSON content, transient unless configured, a messageId always.

    ``more`` are headers set over ``headers`` (one dict built per message, not one per addition).
    """
    head = {**headers, **more} if more else dict(headers)
    if not head.get("messageId"):
        head["messageId"] = new_id()
    return {
        "content_type": "application/json",
        "content_encoding": "utf8",
        "delivery_mode": 2 if settings.amqp_persistent_messages else 1,
        "headers": amqp_safe(head),
    }


def data_message(data: Mapping[str, Any], headers: Mapping[str, Any], settings: Settings,
                 cipher: MessageCipher) -> Outgoing:
    """An emitted ``data`` message; raises ``OutgoingTooLarge`` over the size limit."""
    message = dict(data)
    routing_key, message["headers"] = split_routing_key(message.get("headers"))
    body = cipher.encode(message, settings.protocol_version)
    _check_size(body, settings)
    return Outgoing(routing_key or settings.data_routing_key, body,
                    properties(headers, settings, messageId=message.get("id") or headers.get("messageId"),
                               end=now_ms(), protocolVersion=settings.protocol_version))


def http_reply(reply: Mapping[str, Any], headers: Mapping[str, Any], settings: Settings,
               cipher: MessageCipher) -> Outgoing:
    """An ``httpReply`` goes back to the webhook gateway's ``reply_to`` queue, always base64."""
    reply_to = headers.get("reply_to")
    if not reply_to:
        raise NoReplyTo("Component emitted 'httpReply' event but 'reply_to' was not found in AMQP headers")
    message = dict(reply)
    _, message["headers"] = split_routing_key(message.get("headers"))
    body = cipher.encode(message, 1)
    _check_size(body, settings)
    return Outgoing(reply_to, body, properties({**headers, "protocolVersion": 1}, settings))


def error_messages(error: Any, headers: Mapping[str, Any], settings: Settings, cipher: MessageCipher,
                   original: Delivery | None = None) -> list[Outgoing]:
    """The ``{error, errorInput}`` message, plus the encrypted error to ``reply_to`` when there is one."""
    encrypted_error = cipher.encode_text(format_error(error))
    payload: dict[str, str] = {"error": encrypted_error}
    if original is not None and original.body:
        payload["errorInput"] = error_input(original, cipher)
    props = properties(headers, settings)
    out = [Outgoing(settings.error_routing_key, to_json(payload).encode("utf-8"), props)]
    reply_to = headers.get("reply_to")
    if reply_to and not settings.no_error_replies:
        reply_props = copy.deepcopy(props)
        reply_props["headers"][ERROR_RESPONSE_HEADER] = True
        out.append(Outgoing(reply_to, encrypted_error.encode("ascii"), reply_props))
    return out


def error_input(original: Delivery, cipher: MessageCipher) -> str:
    """The failed input as base64 ciphertext: copied for protocol 1, re-encoded for raw protocol 2."""
    if protocol_version(original.headers) >= 2:
        return cipher.encode_text(cipher.decode(original.body, 2))
    return original.body.decode("utf-8", "replace")


def snapshot_message(snapshot: Any, headers: Mapping[str, Any], settings: Settings, event: str) -> Outgoing:
    """Snapshots travel as plain JSON (not encrypted) with ``snapshotEvent`` = snapshot|updateSnapshot."""
    head = {**headers, "snapshotEvent": event}
    return Outgoing(settings.snapshot_routing_key, to_json(snapshot).encode("utf-8"), properties(head, settings))


def rebound_iteration(original_headers: Mapping[str, Any]) -> int:
    """1 for a first rebound, else the incoming ``reboundIteration`` + 1 (only when it is a number)."""
    previous = original_headers.get("reboundIteration")
    if isinstance(previous, (int, float)) and not isinstance(previous, bool) and previous:
        return int(previous) + 1
    return 1


def rebound_expiration_ms(iteration: int, initial_ms: int) -> int:
    """TTL of the n-th rebound: ``2**(n-1) * initial`` (15 s, 30 s, 1 min, 2 min, ... by default)."""
    return (2 ** (iteration - 1)) * initial_ms


def rebound_messages(reason: Any, original: Delivery, headers: Mapping[str, Any], settings: Settings,
                     cipher: MessageCipher) -> list[Outgoing]:
    """The original bytes and properties back to REBOUND with a doubled TTL; past the limit, an error."""
    iteration = rebound_iteration(original.headers)
    if iteration > settings.rebound_limit:
        return error_messages(RuntimeError("Rebound limit exceeded"), headers, settings, cipher, original)
    props = dict(original.properties)
    props["expiration"] = str(rebound_expiration_ms(iteration, settings.rebound_initial_expiration))
    props["headers"] = amqp_safe({
        **original.headers,
        "end": now_ms(),
        "reboundReason": format_error(reason)["message"],
        "reboundIteration": iteration,
    })
    return [Outgoing(settings.rebound_routing_key, original.body, props)]


def format_error(error: Any) -> dict[str, str]:
    """``{name, message, stack}`` of an exception or of a string/object the step emitted, secrets cut out."""
    if isinstance(error, BaseException):
        shape = serialize_error(error)
        shape["stack"] = shape["stack"].strip() or "Not Available"
        return shape
    if isinstance(error, Mapping) and "message" in error:
        return {"name": redact_text(str(error.get("name") or "Error")),
                "message": redact_text(str(error["message"])),
                "stack": redact_text(str(error.get("stack") or "Not Available"))}
    return {"name": "Error", "message": redact_text(str(error)) if error else "Not Available",
            "stack": "Not Available"}


def _check_size(body: bytes, settings: Settings) -> None:
    if len(body) > settings.outgoing_message_size_limit:
        raise OutgoingTooLarge(
            f"Outgoing message size {len(body)} exceeds limit of {settings.outgoing_message_size_limit}.")


def with_passthrough(data: Mapping[str, Any], incoming: Mapping[str, Any], previous_step_id: str | None,
                     settings: Settings, is_passthrough: bool) -> dict[str, Any]:
    """Step data ``is_passthrough``: carry earlier steps' messages along, as ``sailor.js`` ``onData`` does.

    Normally the emitted message (minus its passthrough) is stored under this step's id; with
    ``NO_SELF_PASSTRHOUGH`` the *incoming* message is stored under the previous step's id instead.
    """
    message = dict(data)
    message["headers"] = dict(message.get("headers") or {})
    if not is_passthrough:
        return message
    original = dict(incoming.get("passthrough") or {})
    if settings.no_self_passthrough:
        message["passthrough"] = dict(original)
        if previous_step_id:
            message["passthrough"][previous_step_id] = _without_passthrough(incoming)
    else:
        message["passthrough"] = {**original, settings.step_id: _without_passthrough(message)}
    return message


def _without_passthrough(message: Mapping[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in message.items() if k != "passthrough"}
