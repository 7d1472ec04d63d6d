"""A small ``requests.Session`` stand-in on the standard library, for the sailor's few platform API calls.

The sailor asks the platform API for its step data before it takes a message, so whatever HTTP client
``PlatformApi`` uses is imported on every container start; requests (with urllib3, charset_normalizer,
idna, http.cookiejar) costs about 0.1 s of it, ``http.client`` next to nothing. ``Session`` implements
just what ``PlatformApi`` calls: ``request(method, url, auth=, json=, timeout=, allow_redirects=False)``
returning an object with ``status_code``, ``content`` and ``json()``, and ``close()``.

It behaves as requests does where it matters: Basic auth, a JSON body, ``(connect, read)`` timeouts,
no redirects followed, TLS verified against certifi's bundle (or ``REQUESTS_CA_BUNDLE`` /
``CURL_CA_BUNDLE``). Network failures are raised as requests' own ``ConnectionError`` / ``Timeout``
(requests is imported then, on the failure path only), so ``PlatformApi``'s retries see what they
always saw. With a proxy configured in the environment for the URL, the call goes through a real
``requests.Session`` instead: proxy rules are requests' business.
"""

from __future__ import annotations

import base64
import http.client
import json as _json
import os
from typing import Any
from urllib.parse import urlsplit

_CA_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
MAX_BODY = 16 * 1024 * 1024  # bytes of one answer; step data (config and a 5 KB snapshot) is far smaller


class Response:
    """What ``PlatformApi`` reads of an answer."""

    def __init__(self, status_code: int, content: bytes, headers: dict[str, str]) -> None:
        self.status_code = status_code
        self.content = content
        self.headers = headers

    def json(self) -> Any:
        return _json.loads(self.content)


class Session:
    """``requests.Session`` as far as ``PlatformApi`` uses it; one connection per call."""

    def __init__(self) -> None:
        self._fallback: Any = None  # a requests.Session, made only for proxied URLs
        self._tls: Any = None

    def request(self, method: str, url: str, *, auth: tuple[str, str] | None = None, json: Any = None,
                timeout: float | tuple[float, float] | None = None, allow_redirects: bool = False) -> Any:
        if _proxied(url):
            return self._requests().request(method, url, auth=auth, json=json, timeout=timeout,
                                            allow_redirects=allow_redirects)
        if allow_redirects:
            raise ValueError("this session does not follow redirects")
        parts = urlsplit(url)
        headers = {"Accept": "*/*", "Connection": "close", "User-Agent": "eiosdk-sailor"}
        if auth is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode("latin-1")).decode("ascii")
        body = None
        if json is not None:
            body = _json.dumps(json).encode("utf-8")
            headers["Content-Type"] = "application/json"
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        conn = self._connection(parts, connect)
        try:
            conn.connect()
            if conn.sock is not None:
                conn.sock.settimeout(read)
            conn.request(method, (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body, headers)
            answer = conn.getresponse()
            content = answer.read(MAX_BODY + 1)  # step data is small: a bigger answer is refused, not held
            if len(content) > MAX_BODY:
                raise ValueError(f"the platform API answered {url} with more than {MAX_BODY} bytes; refused")
            return Response(answer.status, content, dict(answer.getheaders()))
        except (OSError, http.client.HTTPException) as exc:
            raise _requests_error(exc, url) from None
        finally:
            conn.close()

    def close(self) -> None:
        if self._fallback is not None:
            self._fallback.close()

    def _connection(self, parts: Any, timeout: float | None) -> http.client.HTTPConnection:
        host, port = parts.hostname or "", parts.port
        if parts.scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=timeout, context=self._context())
        if parts.scheme == "http":
            return http.client.HTTPConnection(host, port, timeout=timeout)
        raise ValueError(f"unsupported URL scheme {parts.scheme!r} for the platform API")

    def _context(self) -> Any:
        if self._tls is None:
            import ssl

            self._tls = ssl.create_default_context(cafile=_ca_bundle())
        return self._tls

    def _requests(self) -> Any:
        if self._fallback is None:
            import requests

            self._fallback = requests.Session()
        return self._fallback


def _ca_bundle() -> str | None:
    """The CA file requests would verify against: its environment variables, else certifi's bundle."""
    for name in _CA_VARIABLES:
        if os.environ.get(name):
            return os.environ[name]
    try:
        import certifi
    except ImportError:  # no certifi: the system's store, as ssl.create_default_context has it
        return None
    return certifi.where()


def _proxied(url: str) -> bool:
    """Whether the environment configures a proxy that may apply to ``url`` (then requests decides)."""
    scheme = urlsplit(url).scheme
    names = (f"{scheme}_proxy", f"{scheme.upper()}_PROXY", "all_proxy", "ALL_PROXY")
    return any(os.environ.get(name) for name in names)


def _requests_error(exc: BaseException, url: str) -> Exception:
    """requests' error for a network failure (requests is imported here, on the failure path only)."""
    import requests

    where = url.split("?", 1)[0]
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError
        return requests.Timeout(f"{type(exc).__name__} talking to {where}")
    return requests.ConnectionError(f"{type(exc).__name__} talking to {where}")
