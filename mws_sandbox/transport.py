"""``SandboxTransport``: the client's Transport, answered in-process by a Sandbox (no sockets).

For fast unit tests of the client and the steps; a disconnect fault raises
``lib.mws.errors.TransportError`` just as a dropped connection does with the requests transport.
"""

from __future__ import annotations

from lib.mws.transport import HttpRequest, HttpResponse

from .app import Sandbox


class SandboxTransport:
    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.requests: list[HttpRequest] = []

    def send(self, request: HttpRequest) -> HttpResponse:
        self.requests.append(request)
        return self.sandbox.handle(request)
