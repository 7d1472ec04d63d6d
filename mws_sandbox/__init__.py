"""A quota-faithful local emulator of Amazon MWS (Sellers, Orders 2013-09-01, Feeds 2009-01-01).

``Sandbox`` is the whole app (``handle(HttpRequest) -> HttpResponse``); ``serve`` runs it on a
loopback port; ``SandboxTransport`` plugs it into the client in-process. Layout follows moto:
``models`` (state and rules) apart from ``responses`` (XML), ``errors``, one ``routes`` table,
plus ``auth`` (SigV2), ``throttle`` (quotas), ``faults``, ``feedcheck`` (processing reports)
and ``scenario`` (the unsigned JSON API under ``/_sandbox/``).
"""

from __future__ import annotations

from .app import Reply, Sandbox
from .clock import OffsetClock
from .server import SandboxServer, serve
from .transport import SandboxTransport

__all__ = ["OffsetClock", "Reply", "Sandbox", "SandboxServer", "SandboxTransport", "serve"]
