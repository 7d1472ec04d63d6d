"""The client-side adapter: ``SandboxTransport`` plugs a Sandbox into ``lib.mws.client.MwsClient``.

This is the ONE module of ``mws_sandbox`` that imports the client (``lib``), and only its
exception type: the client retries a dropped connection when the transport raises
``lib.mws.errors.TransportError``, so the sandbox's own ``ConnectionDropped`` (a disconnect fault)
is translated here. Requests and responses need no translation: the sandbox reads any object with
``method``, ``url``, ``headers`` and ``body``, and its ``Response`` has the attributes the client
reads (``status``, case-insensitive ``headers``, ``body``). Nothing else in the package imports
this module, so ``import mws_sandbox`` and the server never load the client
(tests/sandbox/test_oracle_agreement.py checks both).
"""

from __future__ import annotations

from lib.mws.errors import TransportError

from .app import Sandbox
from .http import ConnectionDropped, RequestLike, Response


class SandboxTransport:
    """A client transport answered in-process by ``sandbox``; no sockets."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.requests: list[RequestLike] = []

    def send(self, request: RequestLike) -> Response:
        self.requests.append(request)
        try:
            return self.sandbox.handle(request)
        except ConnectionDropped as dropped:
            raise TransportError(str(dropped)) from None
