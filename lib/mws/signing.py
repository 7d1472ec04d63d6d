"""Amazon MWS Signature Version 2, as pure functions.

Nothing here reads the clock, the environment or the network: the caller passes every input,
including the ``Timestamp`` parameter. That is what lets the signature be pinned by published
vectors step by step (canonical query, string to sign, signature), and what lets the sandbox
check incoming requests with exactly the same canonicalisation.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes, hmac

ALGORITHMS = {"HmacSHA256": hashes.SHA256, "HmacSHA1": hashes.SHA1}
DEFAULT_PORTS = {"https": 443, "http": 80}


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as MWS wants it: only ``A-Za-z0-9-_.~`` stay, UTF-8, uppercase hex."""
    return quote(str(value), safe="-_.~")


def canonical_query(params: Mapping[str, str]) -> str:
    """Sort parameters in byte order (``Signature`` excluded) and join ``name=value`` with ``&``."""
    items = sorted((k, v) for k, v in params.items() if k != "Signature")
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in items)


def canonical_host(host: str, scheme: str = "https", port: int | None = None) -> str:
    """Lower-case host, keeping a non-default port as ``host:port``."""
    host = host.lower()
    if port is not None and port != DEFAULT_PORTS.get(scheme):
        return f"{host}:{port}"
    return host


def canonical_path(path: str) -> str:
    """The URL-encoded absolute path; an empty path signs as ``/``."""
    if not path:
        return "/"
    return quote(path, safe="/-_.~")


def string_to_sign(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    """``VERB\\nhost\\npath\\ncanonical-query``, with no trailing newline."""
    return "\n".join([method.upper(), host.lower(), canonical_path(path), canonical_query(params)])


def hmac_signature(secret: str, message: str, method: str = "HmacSHA256") -> str:
    """Base64 HMAC of ``message`` keyed by ``secret`` (both UTF-8), computed by ``cryptography``
    (OpenSSL), the project's one crypto library, as the sailor's AES is."""
    try:
        algorithm = ALGORITHMS[method]
    except KeyError:
        raise ValueError(f"unsupported SignatureMethod {method!r}; use HmacSHA256 or HmacSHA1") from None
    mac = hmac.HMAC(secret.encode("utf-8"), algorithm())
    mac.update(message.encode("utf-8"))
    return base64.b64encode(mac.finalize()).decode("ascii")


@dataclass(frozen=True)
class SignedQuery:
    """Every intermediate of one signature, so tests and the sandbox can look at each step."""

    canonical_query: str
    string_to_sign: str
    signature: str


def sign(method: str, host: str, path: str, params: Mapping[str, str], secret: str) -> SignedQuery:
    """Sign ``params`` (which must already hold ``SignatureMethod`` and ``Timestamp``)."""
    sts = string_to_sign(method, host, path, params)
    algorithm = params.get("SignatureMethod", "HmacSHA256")
    return SignedQuery(canonical_query(params), sts, hmac_signature(secret, sts, algorithm))


def content_md5(body: bytes) -> str:
    """Base64 of the raw MD5 digest, as ``ContentMD5Value`` and the ``Content-MD5`` header carry it."""
    return base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode("ascii")
