"""A small stand-in for the platform's REST API on loopback (stdlib http.server, one thread).

Serves step data (``GET /v1/tasks/{flow}/steps/{step}``), the start-up hook data, account key updates
and service-mode results, and records every request (method, path, Basic credentials, JSON body) so
tests can assert on what the sailor sent. ``fail_next`` makes the next N requests answer 500.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    auth: tuple[str, str] | None
    body: Any


@dataclass
class FakePlatform:
    username: str = "api-user@example.com"
    key: str = "api-key-secret-1234"
    steps: dict[tuple[str, str], dict] = field(default_factory=dict)
    startup: dict[str, Any] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    fail_next: int = 0
    result_status: int = 200

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def seen(self, method: str, prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    def _answer(self, method: str, path: str, auth, body) -> tuple[int, Any]:
        with self._lock:
            self.requests.append(Recorded(method, path, auth, body))
            if self.fail_next > 0:
                self.fail_next -= 1
                return 500, {"error": "temporarily broken"}
        if path == "/results":
            self.results.append(body)
            return self.result_status, {}
        if auth != (self.username, self.key):
            return 401, {"error": "Unauthorized"}
        parts = path.strip("/").split("/")
        if method == "GET" and len(parts) == 5 and parts[:2] == ["v1", "tasks"] and parts[3] == "steps":
            data = self.steps.get((parts[2], parts[4]))
            return (200, data) if data is not None else (404, {"error": "no such step"})
        if path.startswith("/sailor-support/hooks/task/"):
            return self._startup(method, parts[3], body)
        if method == "PUT" and parts[:2] == ["v1", "accounts"]:
            return 200, {"id": parts[2], "keys": (body or {}).get("keys")}
        return 404, {"error": f"no route {method} {path}"}

    def _startup(self, method: str, flow: str, body: Any) -> tuple[int, Any]:
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

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                status, answer = platform._answer(self.command, self.path, _basic(self.headers), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        return Handler


def _basic(headers) -> tuple[str, str] | None:
    value = headers.get("Authorization") or ""
    if not value.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(value[6:]).decode().partition(":")
    return user, password
