"""One message taken from the step's queue, and how its payload becomes the step's input.

``Delivery`` is a plain record (no pika objects), so the decoding, header and publishing rules can be
tested without a broker, and a delivery can cross from the AMQP thread to the asyncio loop safely.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .crypto import MessageCipher, PayloadError
from .headers import protocol_version

PROPERTY_NAMES = (
    "content_type", "content_encoding", "headers", "delivery_mode", "priority", "correlation_id",
    "reply_to", "expiration", "message_id", "timestamp", "type", "user_id", "app_id", "cluster_id",
)


@dataclass(frozen=True)
class Delivery:
    """A received AMQP message: ``tag`` is only valid on the channel ``generation`` it came from."""

    tag: int
    body: bytes
    properties: Mapping[str, Any] = field(default_factory=dict)
    generation: int = 0
    redelivered: bool = False

    @property
    def headers(self) -> dict[str, Any]:
        return dict(self.properties.get("headers") or {})

    @property
    def message_id(self) -> str | None:
        return self.headers.get("messageId")


def properties_dict(props: Any) -> dict[str, Any]:
    """The set properties of a ``pika.BasicProperties`` as a dict (what a rebound republishes)."""
    return {name: getattr(props, name) for name in PROPERTY_NAMES if getattr(props, name, None) is not None}


def decode_input(delivery: Delivery, cipher: MessageCipher, input_format: str = "default") -> dict[str, Any]:
    """The step's input message: decrypted per ``protocolVersion``, with ``headers.reply_to`` copied in.

    Raises ``PayloadError`` when the body cannot be decrypted; the caller rejects such a delivery.
    """
    headers = delivery.properties.get("headers") or {}  # read only: no copy
    if input_format == "error":
        message = decode_error_input(delivery, cipher)
    else:
        message = cipher.decode(delivery.body, protocol_version(headers))
    if not isinstance(message, dict):
        raise PayloadError("the decrypted payload is not a JSON object")
    if not isinstance(message.get("headers"), dict):
        message["headers"] = {}
    reply_to = headers.get("reply_to")
    if reply_to:
        message["headers"]["reply_to"] = reply_to
    return message


def decode_error_input(delivery: Delivery, cipher: MessageCipher) -> dict[str, Any]:
    """``INPUT_FORMAT=error``: an error handler step reads ``{error, errorInput}`` (both base64 always)."""
    try:
        body = json.loads(delivery.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PayloadError("the error message is not JSON") from None
    if not isinstance(body, dict):
        raise PayloadError("the error message is not a JSON object")
    if body.get("error"):
        body["error"] = cipher.decode(body["error"], 1)
    if body.get("errorInput"):
        body["errorInput"] = cipher.decode(body["errorInput"], 1)
    return {"body": body, "headers": delivery.headers}
