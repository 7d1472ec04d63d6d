"""The platform's message, modelled once: ``id, body, headers, attachments, metadata, passthrough``.

Shape per elasticio.md §2.2. Webhook-originated messages also carry ``method``, ``url``,
``originalUrl`` and ``query``; those (and any other extra keys) are kept as extra fields so nothing
the platform sent is lost when a message is passed on.

Steps receive a ``Message``; attribute access (``msg.body``) is the Python way, and ``msg["body"]`` /
``msg.get("body")`` keep Node-style code working. A step may emit (or return) either a ``Message``, a
full message dict, or a plain body dict; ``Message.of`` decides which (see its docstring).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticSerializationError

from .ids import new_id

MESSAGE_KEYS = frozenset({"id", "body", "headers", "attachments", "metadata", "passthrough",
                          "method", "url", "originalUrl", "query"})
OBJECT_PARTS = ("body", "headers", "attachments", "metadata", "passthrough")
_WRONG_PART = {"body": "the incoming message's 'body' must be a JSON object holding the step's input fields "
                       "(e.g. {{\"sku\": \"A1\"}}), got {got}; map the fields into an object, or an array to "
                       "one field of it"}


class MessageShapeError(TypeError):
    """An incoming message (or one of its parts, ``field``) is not the JSON type the platform promises."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def json_type(value: object) -> str:
    """``an array``, ``text``, ``a number``...: a value's JSON type, as a message names it."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "an array"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def _new_id() -> str:
    return new_id()


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
        """The message a step receives, from what the caller got off the wire (tolerant of gaps).

        A missing or null part is empty; a part of the wrong JSON type (a ``body`` that is an array,
        text or a number) is a ``MessageShapeError`` naming the part, which the executor reports as
        the step's error.
        """
        if isinstance(msg, Message):
            return msg.model_copy(deep=True)
        if msg is None:
            return cls()
        if not _is_object(msg):
            raise MessageShapeError(f"the incoming message must be a JSON object, got {json_type(msg)}", "message")
        for part in OBJECT_PARTS:
            value = msg.get(part)
            if value is not None and not _is_object(value):
                raise MessageShapeError(_WRONG_PART.get(part, "the incoming message's '{part}' must be a JSON object, "
                                                        "got {got}").format(part=part, got=json_type(value)), part)
        try:
            return cls.model_validate(dict(msg))
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            part = ".".join(str(p) for p in first["loc"]) or "message"
            raise MessageShapeError(f"the incoming message's '{part}' is invalid: {first['msg']}", part) from None

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
            if not is_full_message(payload) and all(map(_is_text, payload)):
                # A body (the common case): made JSON-clean in one pass and validated once, instead of
                # building a message only to dump it and validate the dump.
                try:
                    body = _json_object().dump_python(dict(payload), mode="json")
                except PydanticSerializationError as exc:
                    raise TypeError(f"data payload cannot be turned into JSON: {exc}") from None
                return cls.model_validate({"body": body})
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

    def parts(self) -> dict[str, Any]:
        """``to_dict``'s keys, in its order, holding this message's own values: nothing is copied or converted.

        For a reader that serialises the message at once and changes nothing in it (the sailor
        encrypting an emitted message, which the executor made JSON-clean with ``Message.of``).
        """
        data = {"id": self.id, "body": self.body, "headers": self.headers, "attachments": self.attachments,
                "metadata": self.metadata}
        if self.passthrough is not None:
            data["passthrough"] = self.passthrough
        if self.__pydantic_extra__:
            data.update(self.__pydantic_extra__)
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


def _is_object(value: object) -> bool:
    """``isinstance(value, Mapping)``, a plain dict (what JSON gives) answered without the ABC machinery."""
    return value.__class__ is dict or isinstance(value, Mapping)


_is_text = str.__instancecheck__  # isinstance(key, str), in C when mapped over a dict's keys


@functools.cache
def _json_object() -> Any:
    """``TypeAdapter(dict[str, Any])``, the type of a message's body, built on first use."""
    from pydantic import TypeAdapter

    return TypeAdapter(dict[str, Any])


def is_full_message(payload: Mapping[str, Any]) -> bool:
    """Whether a dict is a whole message rather than a body (rule documented on ``Message.of``)."""
    return _is_object(payload.get("body")) and set(payload) <= MESSAGE_KEYS
