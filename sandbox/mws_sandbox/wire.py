"""Reading an incoming request the way MWS does: query string and form body merged with form rules.

Clients differ on the wire (python-amazon-mws puts everything in the URL, the official libraries
POST a form body, SubmitFeed puts parameters in the URL and the raw feed in the body), so the
sandbox decodes all of them into one ``WireRequest`` before anything else looks at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from .errors import InvalidParameterValue
from .http import RequestLike

FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class WireRequest:
    method: str
    host: str
    path: str
    params: dict[str, str]
    headers: Mapping[str, str]
    body: bytes = b""
    raw_query: str = ""
    duplicates: tuple[str, ...] = field(default_factory=tuple)

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


def _lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _pairs(text: str) -> list[tuple[str, str]]:
    return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace")


def is_form(headers: Mapping[str, str]) -> bool:
    return headers.get("content-type", "").split(";")[0].strip().lower() == FORM_TYPE


def decode(request: RequestLike) -> WireRequest:
    """Split ``request`` into host, path and merged parameters; the body stays raw unless it is a form."""
    parts = urlsplit(request.url)
    headers = _lower_headers(request.headers)
    host = headers.get("host") or parts.netloc or "localhost"
    pairs = _pairs(parts.query)
    body = request.body or b""
    if body and is_form(headers):
        pairs += _pairs(body.decode("utf-8", errors="replace"))
        body = b""
    params: dict[str, str] = {}
    duplicates = []
    for name, value in pairs:
        if name in params and params[name] != value:
            duplicates.append(name)
        params.setdefault(name, value)
    return WireRequest(request.method.upper(), host.lower(), unquote(parts.path) or "/", params,
                       headers, body, parts.query, tuple(duplicates))


def reject_duplicates(wire: WireRequest) -> None:
    """Two different values for one name cannot be signed or read unambiguously."""
    if wire.duplicates:
        raise InvalidParameterValue(f"Parameter {wire.duplicates[0]} was given more than once with "
                                    "different values; send each parameter once.")
