"""The requests/urllib3 side of ``RequestsTransport``, imported with the first transport made.

Kept apart from ``transport`` so that importing the client (every step does) does not import
requests and urllib3 (with charset_normalizer, idna, http.cookiejar: about 0.1 s): a step that has
not sent anything yet does not need them. ``session()`` is a ``requests.Session`` whose connections
a ``transport._Watch`` can cut; ``NETWORK_ERRORS`` and ``failure`` turn what it raises into ours.
"""

from __future__ import annotations

import http.client
from typing import Any

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .errors import TransportError, TransportTimeoutError
from .transport import HttpRequest, _current, _origin, _Watch


def session() -> requests.Session:
    """A session whose HTTP and HTTPS connections tell the sending thread's ``_Watch`` about themselves."""
    made = requests.Session()
    adapter = _WatchedAdapter()
    made.mount("http://", adapter)
    made.mount("https://", adapter)
    return made


class _WatchedConnection:
    """Tells the sending thread's ``_Watch`` which connection carries its request."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.attach(self)
        return super().request(*args, **kwargs)


class _HTTPConnection(_WatchedConnection, HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter, with connections a ``_Watch`` can cut (also through an HTTP(S) proxy)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _POOLS
        return manager


# ---------------------------------------------------------------- failures

NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)
TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)


def failure(exc: BaseException, request: HttpRequest, watch: _Watch,
            timeout: float | tuple[float, float]) -> TransportError:
    """The error to raise for a network failure; its text names the origin only, never the query."""
    if watch.expired:
        return watch.timeout_error(request)
    origin, operation = _origin(request.url), request.operation or None
    if isinstance(exc, TIMEOUTS):
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        return TransportTimeoutError(
            f"{origin} did not answer within the {connect:g} s connect or {read:g} s read timeout; "
            f"{watch.received} bytes received", operation=operation,
        )
    return TransportError(f"{type(exc).__name__} talking to {origin}", operation=operation)
