"""Real signed requests for the redaction tests, and the values that must never reach a log line.

``recording_sandbox`` serves the MWS sandbox on loopback and keeps every request it answers, so a test
knows each Signature the client computed (a fresh one per request, registered nowhere).
``LoudTransport`` sends the real requests after logging each one whole, at the given levels, through
the step logger and stdlib ``logging``: what a chatty HTTP library does. ``UnreachableTransport``
sends signed-URL requests to a port nobody listens on, so ``requests`` itself fails with an error
quoting the signed URL, and the step's error keeps that error as its ``__context__``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
from collections.abc import Iterable, Iterator
from urllib.parse import parse_qsl, quote

import requests
from eiosdk import logging as sdk_logging
from eiosdk.logging import get_logger
from mws_sandbox import Sandbox, serve

from mws_component.lib.mws.transport import HttpRequest, HttpResponse, RequestsTransport

LEVELS = ("trace", "debug", "info", "warn", "error", "fatal")
STDLIB_LEVELS = {"trace": 5, "debug": logging.DEBUG, "info": logging.INFO, "warn": logging.WARNING,
                 "error": logging.ERROR, "fatal": logging.CRITICAL}
SKU = "CAFE-BUSTELO-ESPRESSO-283G"  # in every seed's catalogue
INVENTORY = {"items": [{"sku": SKU, "quantity": 3}]}


@contextlib.contextmanager
def recording_sandbox(seed: int = 5) -> Iterator[tuple[Sandbox, str, list[HttpRequest]]]:
    """``(sandbox, url, requests it answered)`` on a loopback port, on the real clock."""
    sandbox = Sandbox(seed=seed, orders=5)
    seen: list[HttpRequest] = []
    answer = sandbox.respond

    def respond(request: HttpRequest):
        seen.append(request)
        return answer(request)

    sandbox.respond = respond
    with serve(sandbox) as server:
        yield sandbox, server.url, seen


def signatures(sent: Iterable[HttpRequest]) -> list[str]:
    """The Signature of every request (from its query string, else its form body), decoded."""
    found = []
    for request in sent:
        query = request.url.partition("?")[2] or request.body.decode("ascii", "replace")
        found += [value for name, value in parse_qsl(query) if name == "Signature"]
    return found


def forbidden(cfg: dict, sent: Iterable[HttpRequest]) -> list[tuple[str, str]]:
    """``(label, text)`` for each secret in each spelling a log could hold: as is, percent-encoded, and
    its first 12 characters (a secret cut short is still a leak)."""
    values = {"secretKey": cfg["secretKey"], "mwsAuthToken": cfg["mwsAuthToken"], "accessKeyId": cfg["accessKeyId"]}
    values.update({f"Signature of request {i}": value for i, value in enumerate(signatures(sent), 1)})
    found = []
    for label, value in values.items():
        for spelling in dict.fromkeys((value, quote(value, safe=""), value[:12], quote(value, safe="")[:12])):
            found.append((f"{label} ({spelling[:4]}...)", spelling))
    return found


def assert_clean(text: str, secrets: list[tuple[str, str]]) -> None:
    leaked = [label for label, value in secrets if value in text]
    assert not leaked, f"leaked into the output: {leaked}"


class LoudTransport:
    """Logs each request whole (URL, headers, form body) at every one of ``levels``, then sends it."""

    def __init__(self, levels: Iterable[str] = LEVELS) -> None:
        self.levels = tuple(levels)
        self.inner = RequestsTransport(timeout=10.0)
        self.log = get_logger("component", probe="loud-transport")
        self.stdlib = logging.getLogger("probe.http")
        self.stdlib.setLevel(1)  # let trace-level (5) records through to the root's handlers
        self.sent: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        head = "\r\n".join(f"{k}: {v}" for k, v in request.headers.items())
        wire = f"{request.method} {request.url} HTTP/1.1\r\n{head}\r\n\r\n{request.body.decode()}"
        for level in self.levels:
            self.stdlib.log(STDLIB_LEVELS[level], "send: %r", wire.encode())
            getattr(self.log, level)("sending %s %s", request.method, request.url,
                                     request={"url": request.url, "body": request.body.decode(),
                                              "headers": dict(request.headers)})
        return self.inner.send(request)


class UnreachableTransport:
    """Requests with a signed query string go to a closed port; the rest reach the sandbox."""

    def __init__(self) -> None:
        with socket.create_server(("127.0.0.1", 0)) as probe:
            self.port = probe.getsockname()[1]  # closed again when the block ends
        self.inner = RequestsTransport(timeout=10.0)
        self.sent: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.sent.append(request)
        if "?" not in request.url:
            return self.inner.send(request)
        url = re.sub(r"^http://[^/]+", f"http://127.0.0.1:{self.port}", request.url)
        try:
            requests.post(url, data=request.body, headers=dict(request.headers), timeout=5)
        except requests.ConnectionError:
            # implicitly chained on purpose: the requests error, signed URL and all, is the __context__
            raise RuntimeError("the feed upload failed; see the error above")  # noqa: B904
        raise AssertionError(f"something answered on port {self.port}")


@contextlib.contextmanager
def stdlib_bridge() -> Iterator[None]:
    """``install_stdlib_bridge`` for one test: root handlers and level restored afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    sdk_logging.install_stdlib_bridge()
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
