"""Moving bytes: a one-method interface (``send``), a requests-based default that bounds every answer
in time and size, and plain request/response records that the client, the sandbox and tests all share.

The client owns policy (signing, pacing, retries); a transport only sends one prepared request.
Swap it for ``mws_sandbox``'s in-process transport, or for ``FunctionTransport`` in unit tests.

What comes back from the network is hostile until proven otherwise. ``RequestsTransport`` streams
each answer in chunks and stops as soon as it passes a cap: bytes as received, and bytes once
gzip/deflate is undone (decompressed a chunk at a time, never past the cap, so a gzip bomb stops
there); caps are per operation (``RESPONSE_LIMITS``). Each request also has a deadline for the whole
exchange (connect, send, every byte of the answer): read timeouts only bound each wait for a packet,
so a watchdog timer shuts the connection's socket down when the deadline passes.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from .errors import (
    MwsError,
    ResponseIntegrityError,
    ResponseTooLargeError,
    TransportError,
    TransportTimeoutError,
)

if TYPE_CHECKING:  # requests and urllib3 come with the first RequestsTransport (.wire), not at start-up
    import requests
    from urllib3.connection import HTTPConnection

MIB = 1024 * 1024
DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds: each bounds one wait on the network
DEFAULT_DEADLINE = 60.0  # seconds for one whole request: connect, send, and the answer's last byte
USER_AGENT = "mws-component/0.1.0 (Language=Python; Platform=elastic.io)"
ACCEPT_ENCODING = "gzip, deflate"  # the encodings this transport undoes itself, counting what they give
CHUNK = 64 * 1024
STREAM_BODIES_ABOVE = 4 * MIB  # a StreamedBody up to this size is sent as bytes, like every other body


@dataclass(frozen=True)
class ResponseLimits:
    """Caps on one answer: bytes as received (compressed or not), and bytes once decompressed."""

    wire_bytes: int = 16 * MIB
    body_bytes: int = 16 * MIB


#: Caps by operation; ``"*"`` for every other. XML pages are small (a 100-order ListOrders page is a
#: few hundred KB); raw processing reports and reports can be large.
RESPONSE_LIMITS: Mapping[str, ResponseLimits] = MappingProxyType({
    "*": ResponseLimits(),
    "GetFeedSubmissionResult": ResponseLimits(128 * MIB, 128 * MIB),
    "GetReport": ResponseLimits(128 * MIB, 128 * MIB),
    "downloadReportDocument": ResponseLimits(128 * MIB, 128 * MIB),  # SP-API reports (lib.spapi.reports)
})


def limits_for(operation: str, table: Mapping[str, ResponseLimits] = RESPONSE_LIMITS) -> ResponseLimits:
    return table.get(operation) or table["*"]


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


class StreamedBody(Protocol):
    """A request body kept out of memory (a built feed, spooled to a temporary file): its size and
    Content-MD5 are known without reading it, and ``open()`` gives its bytes from the first one on,
    so every attempt (each one a newly signed request) sends it whole again."""

    size: int
    content_md5: str  # base64 MD5 of the bytes, as ``signing.content_md5`` gives it

    def open(self) -> BinaryIO: ...


def wire_body(body: bytes | StreamedBody) -> bytes | StreamedBody:
    """What a request carries: small bodies as bytes, which every transport, fake and the sandbox
    read as they are; only a body over ``STREAM_BODIES_ABOVE`` stays a ``StreamedBody``."""
    if isinstance(body, bytes | bytearray) or body.size > STREAM_BODIES_ABOVE:
        return body
    return body.open().read()


def body_bytes(body: bytes | StreamedBody) -> bytes:
    """The whole body in memory, for transports that hand it on as bytes (in-process apps, fakes)."""
    return body if isinstance(body, bytes | bytearray) else body.open().read()


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | StreamedBody = b""  # a StreamedBody is read anew by each send
    operation: str = ""  # names the operation in errors and picks its size caps
    time_left: float | None = None  # seconds before the caller's deadline: the exchange takes no longer


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
    """The default transport: a pooled ``requests.Session``; every answer bounded in time and size.

    ``timeout`` bounds each wait on the network (connect, read), ``deadline`` the whole exchange
    (also cut to the request's ``time_left``), ``limits`` the answer's size: one ``ResponseLimits``
    for every operation, or a table by operation name with a ``"*"`` entry.
    """

    def __init__(
        self,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        *,
        deadline: float = DEFAULT_DEADLINE,
        limits: ResponseLimits | Mapping[str, ResponseLimits] = RESPONSE_LIMITS,
    ) -> None:
        self.timeout = timeout
        self.deadline = deadline
        self.limits = limits
        from . import wire

        self._session = wire.session()

    def send(self, request: HttpRequest) -> HttpResponse:
        seconds = self.deadline if request.time_left is None else min(self.deadline, request.time_left)
        if seconds <= 0:
            raise TransportTimeoutError(f"no time left to ask {_origin(request.url)}: the deadline has passed",
                                        operation=request.operation or None)
        from . import wire

        failure: MwsError
        with _Watch(seconds) as watch:
            try:
                return self._exchange(request, watch)
            except wire.NETWORK_ERRORS as exc:
                failure = wire.failure(exc, request, watch, self.timeout)
        # Raised here, outside the except block: requests' own error (its text holds the URL, with its
        # signed query for SubmitFeed) must not ride along as __context__.
        raise failure

    def _exchange(self, request: HttpRequest, watch: _Watch) -> HttpResponse:
        connect, read = self.timeout if isinstance(self.timeout, tuple) else (self.timeout, self.timeout)
        resp = self._session.request(
            request.method, request.url, headers={"Accept-Encoding": ACCEPT_ENCODING, **request.headers},
            data=_upload(request.body), timeout=(min(connect, watch.seconds), min(read, watch.seconds)),
            allow_redirects=False, stream=True,
        )
        read_whole = False
        try:
            body = _read_body(resp, request, watch, self._limits(request.operation))
            read_whole = True
        finally:
            if read_whole and watch.stop():
                resp.raw.release_conn()  # the connection goes back to the pool for the next request
            else:
                resp.close()  # a half-read or cut answer: the connection is dropped, never reused
        return HttpResponse.of(resp.status_code, dict(resp.headers), body)

    def _limits(self, operation: str) -> ResponseLimits:
        return self.limits if isinstance(self.limits, ResponseLimits) else limits_for(operation, self.limits)

    def close(self) -> None:
        self._session.close()


class FunctionTransport:
    """A transport that calls ``handler(request) -> HttpResponse``; for unit tests (like httpx's MockTransport)."""

    def __init__(self, handler: Callable[[HttpRequest], HttpResponse]) -> None:
        self.handler = handler
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        request = _in_memory(request)
        self.requests.append(request)
        return self.handler(request)


class InProcessTransport:
    """A transport answered by an app in this process (``app.handle(request)``), no sockets; like
    httpx's WSGI transport. The MWS sandbox is such an app: tests run the client against it in
    simulated time. The app raises a stdlib ``ConnectionError`` where a connection would drop."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        request = _in_memory(request)
        self.requests.append(request)
        try:
            answer = self.app.handle(request)
        except ConnectionError as dropped:
            failure = TransportError(str(dropped) or "the connection was dropped", operation=request.operation or None)
        else:
            return HttpResponse(answer.status, CaseInsensitiveDict(dict(answer.headers)), answer.body)
        raise failure


def _in_memory(request: HttpRequest) -> HttpRequest:
    if isinstance(request.body, bytes | bytearray):
        return request
    return HttpRequest(request.method, request.url, request.headers, body_bytes(request.body), request.operation,
                       request.time_left)


class _Upload:
    """A ``StreamedBody`` as requests sends it: its length first (Content-Length, never chunked, as
    MWS wants), then its bytes read a block at a time from the start."""

    def __init__(self, body: StreamedBody) -> None:
        self._size = body.size
        self._file = body.open()

    def __len__(self) -> int:
        return self._size

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def __iter__(self) -> Any:  # requests takes an object with __iter__ for a stream; urllib3 then reads it
        return iter(lambda: self._file.read(CHUNK), b"")


def _upload(body: bytes | StreamedBody) -> bytes | _Upload:
    return body if isinstance(body, bytes | bytearray) else _Upload(body)


# ---------------------------------------------------------------- reading the answer

def _read_body(resp: requests.Response, request: HttpRequest, watch: _Watch, limits: ResponseLimits) -> bytes:
    """The whole answer, decoded, read a chunk at a time; refused as soon as it passes a cap."""
    declared = resp.headers.get("Content-Length", "").strip()
    if declared.isdigit() and int(declared) > limits.wire_bytes:
        raise _too_large(request, f"declares {int(declared)} bytes (Content-Length)", limits.wire_bytes,
                         int(declared), "as sent")
    decoder = _Decoder(resp.headers.get("Content-Encoding", ""), request)
    parts: list[bytes] = []
    size = 0
    for chunk in resp.raw.stream(CHUNK, decode_content=False):
        watch.received += len(chunk)
        if watch.received > limits.wire_bytes:
            raise _too_large(request, f"passed {limits.wire_bytes} bytes as sent", limits.wire_bytes,
                             watch.received, "as sent")
        if watch.expired:
            raise watch.timeout_error(request)
        size += _take(parts, decoder.feed(chunk, limits.body_bytes - size + 1), size, limits, request)
    decoder.finish()
    if watch.expired:  # the watchdog's shutdown looks like the end of a body sent without a length
        raise watch.timeout_error(request)
    return b"".join(parts)


def _take(parts: list[bytes], data: bytes, size: int, limits: ResponseLimits, request: HttpRequest) -> int:
    if size + len(data) > limits.body_bytes:
        raise _too_large(request, f"passed {limits.body_bytes} bytes decompressed", limits.body_bytes,
                         size + len(data), "decompressed")
    parts.append(data)
    return len(data)


def _too_large(request: HttpRequest, what: str, limit: int, received: int, kind: str) -> ResponseTooLargeError:
    name = request.operation or "the request"
    return ResponseTooLargeError(
        f"the answer to {name} from {_origin(request.url)} {what}; the cap for {name} is "
        f"{_size(limit)} {kind}: reading stopped and the answer was refused",
        limit=limit, received=received, operation=request.operation or None,
    )


def _size(n: int) -> str:
    return f"{n / MIB:g} MiB" if n >= MIB and n % (MIB // 16) == 0 else f"{n} bytes"


class _Decoder:
    """Undoes a gzip or deflate Content-Encoding, never producing more than the room it is given."""

    def __init__(self, encoding: str, request: HttpRequest) -> None:
        self.encoding = encoding.strip().lower()
        self.request = request
        self._raw = False  # "deflate" sent without its zlib header, as some servers do
        self._fed = self._members = 0
        self._ignoring = False
        if self.encoding in ("", "identity"):
            self._z = None
        elif self.encoding in ("gzip", "x-gzip", "deflate"):
            self._z = self._fresh()
        else:
            raise self._error(f"uses Content-Encoding {encoding!r}, which was not asked for")

    def _fresh(self) -> Any:
        if self.encoding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if self._raw else zlib.MAX_WBITS)
        return zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded ``data``; at most ``room`` bytes (reaching it means the answer is over its cap)."""
        if self._z is None:
            return data
        self._fed += len(data)
        out = b""
        while data and not self._ignoring and len(out) < room:
            try:
                out += self._z.decompress(data, room - len(out))
            except zlib.error:
                if self._members:  # bytes after a complete member: ignored, as urllib3 does
                    self._ignoring = True
                    break
                if self.encoding != "deflate" or self._raw or out:
                    raise self._error(f"is not valid {self.encoding} data") from None
                self._raw = True
                self._z = self._fresh()
                continue
            if not self._z.eof:
                break  # all of data taken, or the room is full (the caller refuses the answer)
            self._members += 1
            data, self._z = self._z.unused_data, self._fresh()  # a gzip answer may hold several members
        return out

    def finish(self) -> None:
        if self._z is not None and self._fed and not self._members:
            raise self._error(f"ended before the end of its {self.encoding} data")

    def _error(self, what: str) -> ResponseIntegrityError:
        return ResponseIntegrityError(f"the answer from {_origin(self.request.url)} {what}",
                                      operation=self.request.operation or None)


# ---------------------------------------------------------------- the deadline

_current = threading.local()  # the _Watch of the request this thread is sending


class _Watch:
    """One request's deadline. A timer shuts the connection's socket down when it passes, which ends
    a blocked connect, send or read at once (a read timeout only bounds each wait for a packet, so a
    server dripping one byte at a time would otherwise never time out)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.received = 0
        self.fired = False
        self._started = time.monotonic()
        self._conn: HTTPConnection | None = None
        self._open = True
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __enter__(self) -> _Watch:
        _current.watch = self
        self._arm(self.seconds)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        _current.watch = None

    @property
    def expired(self) -> bool:
        return self.fired or time.monotonic() - self._started >= self.seconds

    def attach(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._conn = conn

    def stop(self) -> bool:
        """Disarm; whether the deadline had not fired by then."""
        with self._lock:
            self._open = False
            if self._timer is not None:
                self._timer.cancel()
            return not self.fired

    def timeout_error(self, request: HttpRequest) -> TransportTimeoutError:
        return TransportTimeoutError(
            f"no complete answer from {_origin(request.url)} within {self.seconds:.3g} s; "
            f"{self.received} bytes received", operation=request.operation or None,
        )

    def _arm(self, delay: float) -> None:
        self._timer = threading.Timer(delay, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if not self._open:
                return
            self.fired = True
            sock = getattr(self._conn, "sock", None)
            if sock is None:  # not connected yet (the connect timeout is bounded too): look again soon
                self._arm(0.05)
                return
        with contextlib.suppress(OSError):  # already closed: nothing left to cut
            sock.shutdown(socket.SHUT_RDWR)


def _origin(url: str) -> str:
    """Scheme and host only: query strings carry signed parameters and must not reach error messages."""
    return url.split("?", 1)[0]
