"""Moving bytes: a one-method interface (``send``), a requests-based default with a timeout on every
call, and plain request/response records that the client, the sandbox and tests all share.

The client owns policy (signing, pacing, retries); a transport only sends one prepared request.
Swap it for ``mws_sandbox``'s in-process transport, or for ``FunctionTransport`` in unit tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import requests

from .errors import TransportError

DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds
USER_AGENT = "mws-component/0.1.0 (Language=Python; Platform=elastic.io)"


class CaseInsensitiveDict(dict):
    """Response headers, looked up without regard to case (HTTP header names are case-insensitive)."""

    def __init__(self, data: Mapping[str, str] | None = None) -> None:
        super().__init__({k.lower(): v for k, v in (data or {}).items()})

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default=None):
        return super().get(key.lower(), default)


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: CaseInsensitiveDict
    body: bytes

    @classmethod
    def of(cls, status: int, headers: Mapping[str, str] | None = None, body: bytes = b"") -> HttpResponse:
        return cls(status, CaseInsensitiveDict(headers), body)


class Transport(Protocol):
    def send(self, request: HttpRequest) -> HttpResponse:
        """Send one request; raise ``TransportError`` when no HTTP response came back."""


class RequestsTransport:
    """The default transport: a pooled ``requests.Session`` with a timeout on every call."""

    def __init__(self, timeout: float | tuple[float, float] = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self._session = requests.Session()

    def send(self, request: HttpRequest) -> HttpResponse:
        try:
            resp = self._session.request(
                request.method, request.url, headers=dict(request.headers), data=request.body,
                timeout=self.timeout, allow_redirects=False,
            )
            body = resp.content
        except requests.RequestException as exc:
            raise TransportError(f"{type(exc).__name__} talking to {_origin(request.url)}") from None
        return HttpResponse.of(resp.status_code, dict(resp.headers), body)

    def close(self) -> None:
        self._session.close()


class FunctionTransport:
    """A transport that calls ``handler(request) -> HttpResponse``; for unit tests (like httpx's MockTransport)."""

    def __init__(self, handler: Callable[[HttpRequest], HttpResponse]) -> None:
        self.handler = handler
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return self.handler(request)


def _origin(url: str) -> str:
    """Scheme and host only: query strings carry signed parameters and must not reach error messages."""
    return url.split("?", 1)[0]
