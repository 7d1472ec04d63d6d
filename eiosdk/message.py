"""The platform's message, modelled once: ``id, body, headers, attachments, metadata, passthrough``.

Shape per elasticio.md §2.2. Webhook-originated messages also carry ``method``, ``url``,
``originalUrl`` and ``query``; those (and any other extra keys) are kept as extra fields so nothing
the platform sent is lost when a message is passed on.

Steps receive a ``Message``; attribute access (``msg.body``) is the Python way, and ``msg["body"]`` /
``msg.get("body")`` keep Node-style code working. A step may emit (or return) either a ``Message``, a
full message dict, or a plain body dict; ``Message.of`` decides which (see its docstring).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticSerializationError

MESSAGE_KEYS = frozenset({"id", "body", "headers", "attachments", "metadata", "passthrough",
                          "method", "url", "originalUrl", "query"})


def _new_id() -> str:
    return str(uuid.uuid4())


class Message(BaseModel):
    """One message; every field has a default so ``Message(body={...})`` is a complete message."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(default_factory=_new_id)
    body: dict[str, Any] = Field(default_factory=dict)
    headers: dict[str, Any] = Field(default_factory=dict)
    attachments: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    passthrough: dict[str, Any] | None = None

    @field_validator("headers", "attachments", "metadata", "body", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        """The platform guarantees ``headers`` is an object; treat a missing/null part as empty."""
        return {} if value is None else value

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: object) -> object:
        return _new_id() if value in (None, "") else str(value)

    @classmethod
    def incoming(cls, msg: Message | Mapping[str, Any] | None) -> Message:
        """The message a step receives, from what the caller got off the wire (tolerant of gaps)."""
        if isinstance(msg, Message):
            return msg.model_copy(deep=True)
        if msg is None:
            return cls()
        if not isinstance(msg, Mapping):
            raise TypeError(f"incoming message must be an object, got {type(msg).__name__}")
        return cls.model_validate(dict(msg))

    @classmethod
    def of(cls, payload: object) -> Message:
        """Normalise what a step emitted as ``data`` into a JSON-clean message.

        * a ``Message`` is used as is;
        * a dict is a *full message* when it has a ``body`` that is an object and every other key is a
          message key (``id``, ``headers``, ``attachments``, ``metadata``, ``passthrough``, webhook keys);
        * any other dict is the *body* of a new message.

        Values that JSON cannot hold natively are converted the way pydantic does in JSON mode
        (datetimes to ISO 8601 text, ``Decimal`` to text); anything else is a ``TypeError``.
        """
        if isinstance(payload, Message):
            message = payload
        elif isinstance(payload, Mapping):
            message = cls._from_mapping(payload)
        else:
            raise TypeError(
                f"data payload must be a dict (a body or a full message) or a Message, got "
                f"{type(payload).__name__}; emit one data event per item instead"
            )
        try:
            return cls.model_validate(message.to_dict())
        except PydanticSerializationError as exc:
            raise TypeError(f"data payload cannot be turned into JSON: {exc}") from None

    @classmethod
    def _from_mapping(cls, payload: Mapping[str, Any]) -> Message:
        if is_full_message(payload):
            try:
                return cls.model_validate(dict(payload))
            except ValidationError as exc:
                raise TypeError(f"data payload looks like a message but is invalid: {exc}") from None
        return cls(body=dict(payload))

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dict the platform expects (``passthrough`` only when present)."""
        data = self.model_dump(mode="json")
        if data.get("passthrough") is None:
            data.pop("passthrough", None)
        return data

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.to_dict()

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


def is_full_message(payload: Mapping[str, Any]) -> bool:
    """Whether a dict is a whole message rather than a body (rule documented on ``Message.of``)."""
    return isinstance(payload.get("body"), Mapping) and set(payload) <= MESSAGE_KEYS
