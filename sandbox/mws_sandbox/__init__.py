"""A quota-faithful local emulator of Amazon MWS (Sellers, Orders 2013-09-01, Feeds 2009-01-01) and, over
the same seller's world, of SP-API (LWA tokens, Sellers, Orders 2026-01-01, Tokens; package ``spapi``).

``Sandbox`` is the whole app (``handle(request) -> Response``); ``serve`` runs it on a loopback
port; the client's ``lib.mws.transport.InProcessTransport(sandbox)`` runs it in-process. Layout follows moto: ``models``
(state and rules) apart from ``responses`` (XML), ``errors``, one ``routes`` table, plus ``auth``
and ``sigv2`` (SigV2), ``operations`` (Amazon's quotas), ``throttle``, ``faults``, ``feedcheck``
(processing reports), ``schemas`` (XSD checks) and ``scenario`` (the JSON API under ``/_sandbox/``).

The sandbox is an independent oracle: it shares no code with the client (``lib``) and imports
none; a dropped connection is a stdlib ``ConnectionError`` (``ConnectionDropped``).
"""

from __future__ import annotations

from .app import Reply, Sandbox
from .clock import OffsetClock
from .http import ConnectionDropped, Request, Response
from .server import SandboxServer, serve

__all__ = ["ConnectionDropped", "OffsetClock", "Reply", "Request", "Response", "Sandbox", "SandboxServer", "serve"]

