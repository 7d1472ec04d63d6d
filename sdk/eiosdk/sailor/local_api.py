"""A loopback stand-in for the platform's REST API, the half of the platform a sailor calls over HTTP.

``PlatformApiServer`` serves (stdlib ``http.server``, on 127.0.0.1, any free port):

* ``GET /v1/tasks/{flow}/steps/{step}``: the step data put in ``steps[(flow, step)]``;
* ``POST|GET|DELETE /sailor-support/hooks/task/{flow}/startup/data``: the start-up hook's data (409
  when it already exists, as the platform answers);
* ``PUT /v1/accounts/{id}``: ``updateKeys``, answered with the keys it received;
* ``POST /results``: a service-mode result (``ELASTICIO_POST_RESULT_URL``), kept in ``results``.

Every call but ``/results`` needs HTTP Basic ``username:key``. Each request is recorded (method, path,
Basic credentials, JSON body) in ``requests``; ``fail_next`` makes the next N requests answer 500 and
``result_status`` is the status ``/results`` answers, for trying a sailor's retries.
``eiosdk.sailor.local_platform`` runs a step against it; the SDK's tests use it as their fake API.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, Any]


@dataclass
class ApiRequest:
    """One request the server received."""

    method: str
    path: str
    auth: tuple[str, str] | None
    body: Any


@dataclass
class PlatformApiServer:
    """The platform's REST API on loopback; ``url`` is its base, ``close()`` stops it."""

    username: str = "local-user@localhost"
    key: str = field(default_factory=lambda: secrets.token_hex(16))
    steps: dict[tuple[str, str], dict] = field(default_factory=dict)
    startup: dict[str, Any] = field(default_factory=dict)
    requests: list[ApiRequest] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    fail_next: int = 0
    result_status: int = 200

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def __repr__(self) -> str:  # the key stays out of reprs and logs
        return f"PlatformApiServer({self.url!r})"

    def __enter__(self) -> PlatformApiServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def seen(self, method: str, prefix: str) -> list[ApiRequest]:
        """The recorded requests with this method whose path starts with ``prefix``."""
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def answer(self, method: str, path: str, auth: tuple[str, str] | None, body: Any) -> Answer:
        """Status and JSON answer for one request (recorded first)."""
        with self._lock:
            self.requests.append(ApiRequest(method, path, auth, body))
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500, {"error": "temporarily broken"}
        if path == "/results":
            self.results.append(body)
            return self.result_status, {}
        if auth != (self.username, self.key):
            return 401, {"error": "Unauthorized"}
        return self._route(method, path, body)

    def _route(self, method: str, path: str, body: Any) -> Answer:
        parts = path.strip("/").split("/")
        if method == "GET" and len(parts) == 5 and parts[:2] == ["v1", "tasks"] and parts[3] == "steps":
            data = self.steps.get((parts[2], parts[4]))
            return (200, data) if data is not None else (404, {"error": "no such step"})
        if path.startswith("/sailor-support/hooks/task/") and len(parts) > 3:
            return self._startup(method, parts[3], body)
        if method == "PUT" and len(parts) == 3 and parts[:2] == ["v1", "accounts"]:
            return 200, {"id": parts[2], "keys": (body or {}).get("keys")}
        return 404, {"error": f"no route {method} {path}"}

    def _startup(self, method: str, flow: str, body: Any) -> Answer:
        if method == "POST":
            if flow in self.startup:
                return 409, {"error": "already exists"}
            self.startup[flow] = body
            return 200, body
        if method == "GET":
            return (200, self.startup[flow]) if flow in self.startup else (404, {"error": "none"})
        if method == "DELETE":
            self.startup.pop(flow, None)
            return 200, {}
        return 405, {"error": "method"}


def _handler_for(server: PlatformApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                status, answer = 400, {"error": "the body is not JSON"}
            else:
                status, answer = server.answer(self.command, self.path, basic_auth(self.headers), body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, *args: Any) -> None:  # no access log: the caller prints what matters
            pass

    return Handler


def basic_auth(headers: Any) -> tuple[str, str] | None:
    """``(user, password)`` of an ``Authorization: Basic`` header, else ``None``."""
    value = headers.get("Authorization") or ""
    if not value.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(value[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password
