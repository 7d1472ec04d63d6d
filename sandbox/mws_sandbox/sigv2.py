"""Signature Version 2, the server's own implementation (mws.md §1.3), written apart from the client.

Pure functions: parameters in, base64 signature out. Canonical query: every parameter except
``Signature``, sorted by raw name in byte order, then name and value percent-encoded from their UTF-8 bytes
with only ``A-Z a-z 0-9 - _ . ~`` left as they are (uppercase hex, space as ``%20``), joined
``name=value`` with ``&``. String to sign: ``VERB \\n host \\n path \\n canonical query``. Signature:
base64 of HMAC-SHA256 (or SHA1) keyed by the secret. Pinned by the vectors of mws.md §1.4.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

DIGESTS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}
UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def encode(text: str) -> str:
    """RFC 3986 percent-encoding of ``text``'s UTF-8 bytes, written out byte by byte."""
    return "".join(chr(b) if b in UNRESERVED else f"%{b:02X}" for b in text.encode("utf-8"))


def encode_path(path: str) -> str:
    """The request URI as signed: each segment encoded, ``/`` kept; empty is ``/``."""
    return "/".join(encode(segment) for segment in path.split("/")) if path else "/"


def canonical_query(params: Mapping[str, str]) -> str:
    names = sorted(k for k in params if k != "Signature")  # raw names, code point = UTF-8 byte order
    return "&".join(f"{encode(k)}={encode(params[k])}" for k in names)


def string_to_sign(method: str, host: str, path: str, params: Mapping[str, str]) -> str:
    return "\n".join((method.upper(), host.lower(), encode_path(path), canonical_query(params)))


def signature(secret: str, text: str, method: str = "HmacSHA256") -> str:
    mac = hmac.new(secret.encode("utf-8"), text.encode("utf-8"), DIGESTS[method])
    return base64.b64encode(mac.digest()).decode("ascii")


def content_md5(body: bytes) -> str:
    """Base64 of the raw MD5 digest of ``body``, as ``ContentMD5Value`` carries it (mws.md §1.4 f)."""
    return base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode("ascii")
