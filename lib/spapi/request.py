"""The pure request builder: operation + parameters + token -> the ``HttpRequest`` to send.

No clock, no network, no environment: everything comes in as arguments, so the same inputs give
the same bytes (tests pin them as vectors). Query parameters go in the table's order, arrays as
comma-separated lists of percent-encoded items (OpenAPI 2's default ``csv``), datetimes as ISO 8601
UTC with ``Z``. The access token travels in ``x-amz-access-token``; its value (and the body's, for
token calls) is a ``str`` whose repr is masked, so a logged request never shows it.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Mapping
from datetime import datetime, timezone
from functools import cache
from urllib.parse import quote

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.transport import HttpRequest

from .operations import Operation

MASK = "**********"


def _version() -> str:
    from importlib import metadata  # ~20 ms of imports; only this one lookup needs it

    try:
        return metadata.version("mws-component")
    except metadata.PackageNotFoundError:
        return "0.1.0"


@cache
def default_user_agent() -> str:
    """``mws-component/VERSION (Language=Python/X.Y.Z)``, worked out on first use (``USER_AGENT``)."""
    return f"mws-component/{_version()} (Language=Python/{platform.python_version()})"


def __getattr__(name: str) -> str:
    if name == "USER_AGENT":  # a constant to its readers, computed when first read (not at start-up)
        return default_user_agent()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Masked(str):
    """A secret text that is itself when sent, and ``**********`` when repr'd or formatted with ``!r``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)


class MaskedBytes(bytes):
    """A body holding secrets (the LWA form): sent as is, repr'd as ``b'**********'``."""

    def __repr__(self) -> str:
        return repr(MASK.encode())


def text_value(value: object, name: str) -> str:
    """One parameter value as Amazon spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ConfigurationError(f"parameter '{name}' needs a time zone", field=name)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, int | float | str):
        return str(value)
    raise ConfigurationError(f"parameter '{name}' must be text, a number or a datetime, not "
                             f"{type(value).__name__}", field=name)


def query_string(op: Operation, params: Mapping[str, object]) -> str:
    parts = []
    for name in op.query:
        value = params.get(name)
        if value is None or value == [] or value == ():
            continue
        if name in op.arrays:
            items = [value] if isinstance(value, str) else list(value)
            encoded = ",".join(quote(text_value(v, name), safe="") for v in items)
        else:
            encoded = quote(text_value(value, name), safe="")
        parts.append(f"{name}={encoded}")
    return "&".join(parts)


def path_of(op: Operation, params: Mapping[str, object]) -> str:
    path = op.path
    while "{" in path:
        name = path[path.index("{") + 1:path.index("}")]
        value = params.get(name)
        if value in (None, ""):
            raise ConfigurationError(f"{op.name} needs '{name}'", field=name)
        path = path.replace("{" + name + "}", quote(text_value(value, name), safe=""))
    return path


def _unknown(op: Operation, params: Mapping[str, object]) -> list[str]:
    in_path = {p[1:-1] for p in op.path.split("/") if p.startswith("{")}
    return [k for k in params if k not in op.query and k not in in_path]


def build(op: Operation, params: Mapping[str, object], *, base_url: str, access_token: str,
          user_agent: str | None = None, body: object = None) -> HttpRequest:
    """The request for one attempt of ``op``; build a new one for every attempt (tokens change)."""
    unknown = _unknown(op, params)
    if unknown:
        raise ConfigurationError(f"{op.name} takes no parameter {', '.join(map(repr, unknown))}; it takes "
                                 f"{', '.join(op.query) or 'none'}", field=unknown[0])
    query = query_string(op, params)
    url = base_url.rstrip("/") + path_of(op, params) + (f"?{query}" if query else "")
    agent = user_agent or default_user_agent()
    headers = {"x-amz-access-token": Masked(access_token), "user-agent": agent, "accept": "application/json"}
    data = b""
    if op.body:
        headers["content-type"] = "application/json"
        data = json.dumps(body if body is not None else {}, separators=(",", ":"), sort_keys=True).encode()
    return HttpRequest(op.method, url, headers, data, operation=op.name)
