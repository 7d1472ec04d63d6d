"""A quota-faithful local emulator of Amazon MWS (Sellers, Orders 2013-09-01, Feeds 2009-01-01).

``Sandbox`` is the whole app (``handle(request) -> Response``); ``serve`` runs it on a loopback
port; ``SandboxTransport`` plugs it into the client in-process. Layout follows moto: ``models``
(state and rules) apart from ``responses`` (XML), ``errors``, one ``routes`` table, plus ``auth``
and ``sigv2`` (SigV2), ``operations`` (Amazon's quotas), ``throttle``, ``faults``, ``feedcheck``
(processing reports), ``schemas`` (XSD checks) and ``scenario`` (the JSON API under ``/_sandbox/``).

The sandbox is an independent oracle: it shares no code with the client (``lib``). The one
exception is ``transport``, the client-side adapter, loaded only when ``SandboxTransport`` is
first used.
"""

from __future__ import annotations

from .app import Reply, Sandbox
from .clock import OffsetClock
from .http import ConnectionDropped, Request, Response
from .server import SandboxServer, serve

__all__ = ["ConnectionDropped", "OffsetClock", "Reply", "Request", "Response", "Sandbox", "SandboxServer",
           "SandboxTransport", "serve"]


def __getattr__(name: str):
    if name == "SandboxTransport":  # the client-side adapter imports lib: load it only when asked for
        from .transport import SandboxTransport

        return SandboxTransport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
