"""The sandbox on a real loopback socket: a threaded stdlib HTTP server, started on a thread.

Faults are acted out for real here: a disconnect writes the headers and half the body, then
resets the TCP connection (SO_LINGER 0); a slow fault sleeps before answering. Nothing is logged
per request: query strings carry signatures and tokens.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .app import Sandbox
from .http import Request, Response
from .timefmt import http_date

MAX_BODY = 64 * 1024 * 1024
# Response records keep header names lower-case; on the wire they get the spelling Amazon used.
WIRE_NAMES = {"content-type": "Content-Type", "content-md5": "Content-MD5", "date": "Date",
              "x-mws-quota-resetson": "x-mws-quota-resetsOn", "x-amzn-requestid": "x-amzn-RequestId",
              "x-amzn-ratelimit-limit": "x-amzn-RateLimit-Limit", "cache-control": "Cache-Control"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120  # seconds an idle keep-alive connection may hold a thread
    sandbox: Sandbox

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        request = Request(self.command, self.path, dict(self.headers.items()), body)
        reply = self.sandbox.respond(request)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.disconnect:
            self._reset(reply.response)
        else:
            self._write(reply.response, reply.response.body)

    def _read_body(self) -> bytes | None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self._read_chunked()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send_error(413, "feed too large for the sandbox")
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes:
        parts = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                self.rfile.readline()
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response: Response, payload: bytes) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() != "date":  # send_response wrote it, from the sandbox clock
                self.send_header(WIRE_NAMES.get(name.lower(), name), value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _reset(self, response: Response) -> None:
        """Promise the whole body, send half of it, then abort the connection with a TCP reset."""
        self._write(response, response.body[: len(response.body) // 2])
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def version_string(self) -> str:
        return "Server"  # what MWS answered in its Server header

    def date_time_string(self, timestamp: float | None = None) -> str:
        return http_date(self.sandbox.clock.now())

    def log_message(self, format: str, *args: object) -> None:
        """Silent: request lines carry signatures and NextTokens."""

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the connection may have been reset on purpose
            super().finish()


class PortUnavailable(OSError):
    """``host:port`` cannot be bound; ``str()`` says why in one line (no errno prefix)."""

    def __init__(self, host: str, port: int, why: str, code: int | None) -> None:
        super().__init__(f"port {port} on {host} {why}")
        self.errno = code


_BIND_REASONS = {errno.EADDRINUSE: "is already in use",
                 errno.EACCES: "is reserved for root (ports below 1024 are privileged)"}


def _bind(host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno not in _BIND_REASONS:
            raise
        raise PortUnavailable(host, port, _BIND_REASONS[exc.errno], exc.errno) from None


class SandboxServer:
    """A running server; ``url`` is its base URL. Use as a context manager or call ``stop``.

    Raises ``PortUnavailable`` when ``port`` is taken, or privileged and we are not root.
    """

    def __init__(self, sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> None:
        handler = type("SandboxHandler", (_Handler,), {"sandbox": sandbox})
        self.sandbox = sandbox
        self.httpd = _bind(host, port, handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"mws-sandbox:{self.port}", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> SandboxServer:
    """Serve ``sandbox`` on ``host:port`` (0: any free port) on a background thread."""
    return SandboxServer(sandbox, host, port)
