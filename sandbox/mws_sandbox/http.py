"""The sandbox's own request and response records, and the one exception a transport acts on.

Deliberately plain and independent of the client (``lib``): anything with ``method``, ``url``,
``headers`` and ``body`` attributes is a request (the client's ``HttpRequest`` is one), and a
``Response`` has the attributes a client reads (``status``, ``headers`` looked up without regard
to case, ``body``). ``ConnectionDropped`` is what ``Sandbox.handle`` raises for a disconnect
fault; ``mws_sandbox.transport`` turns it into the client's own exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class Headers(dict):
    """Header names folded to lower case: ``h["Content-Type"]`` and ``h.get("content-type")`` agree."""

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        super().__init__({k.lower(): v for k, v in (data or {}).items()})

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default=None):
        return super().get(key.lower(), default)


class RequestLike(Protocol):
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class Response:
    status: int
    headers: Headers
    body: bytes

    @classmethod
    def of(cls, status: int, headers: Mapping[str, str] | None = None, body: bytes = b"") -> Response:
        return cls(status, Headers(headers), body)


class ConnectionDropped(ConnectionError):
    """No HTTP answer: the sandbox dropped the connection (a disconnect fault); a stdlib
    ``ConnectionError``, so an in-process transport on the client side can tell it apart."""
