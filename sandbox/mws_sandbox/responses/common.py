"""Pieces every response shares: the ``<Action>Response`` wrapper with ResponseMetadata, the one
function that renders any ``SandboxError`` as Amazon's ErrorResponse, and the ``GET /`` ping."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # building only; nothing untrusted is parsed here
from decimal import Decimal

from ..errors import SandboxError
from ..timefmt import iso_ms

DECLARATION = b'<?xml version="1.0"?>\n'
DEFAULT_NAMESPACE = "https://mws.amazonservices.com/"


def sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
    """A child element; ``text`` None means "no text" (use ``opt`` to leave the element out)."""
    child = ET.SubElement(parent, tag)
    if text is not None:
        child.text = _text(text)
    return child


def opt(parent: ET.Element, tag: str, text: object) -> None:
    """A child only when there is a value: MWS omits absent fields rather than sending them empty."""
    if text is not None:
        sub(parent, tag, text)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def money(parent: ET.Element, tag: str, currency: str, amount: Decimal) -> None:
    node = sub(parent, tag)
    sub(node, "CurrencyCode", currency)
    sub(node, "Amount", f"{amount:.2f}")


def to_bytes(root: ET.Element) -> bytes:
    return DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8")


def envelope(action: str, namespace: str) -> tuple[ET.Element, ET.Element]:
    """``<ActionResponse xmlns=...><ActionResult/>``; returns (root, result) for the caller to fill."""
    root = ET.Element(f"{action}Response", {"xmlns": namespace})
    return root, sub(root, f"{action}Result")


def finish(root: ET.Element, request_id: str) -> bytes:
    """Close the response with ResponseMetadata/RequestId and serialise it."""
    sub(sub(root, "ResponseMetadata"), "RequestId", request_id)
    return to_bytes(root)


def render_error(error: SandboxError, namespace: str | None, request_id: str) -> bytes:
    """Amazon's ErrorResponse for ``error`` in the section's namespace (mws.md §6.1)."""
    root = ET.Element("ErrorResponse", {"xmlns": namespace or DEFAULT_NAMESPACE})
    node = sub(root, "Error")
    sub(node, "Type", error.error_type)
    sub(node, "Code", error.code)
    sub(node, "Message", error.message)
    sub(root, "RequestID", request_id)
    return to_bytes(root)


def render_ping(now: float) -> bytes:
    """What ``GET https://<host>/`` answered: the server time, handy as a clock-skew probe."""
    root = ET.Element("PingResponse")
    ET.SubElement(root, "Timestamp", {"timestamp": iso_ms(now)})
    return to_bytes(root)


def render_service_status(action: str, namespace: str, request_id: str, now: float) -> bytes:
    root, result = envelope(action, namespace)
    sub(result, "Status", "GREEN")
    sub(result, "Timestamp", iso_ms(now))
    return finish(root, request_id)
