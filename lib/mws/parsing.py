"""Reading Amazon's XML as hostile input.

Every body goes through defusedxml first (no DTDs, no entity expansion, no external entities),
then xmltodict turns it into plain dicts with namespace prefixes and ``xmlns`` attributes removed and
known repeated elements always lists, so parsers neither depend on element order nor trip over the
single-item-is-a-dict quirk (czpython/python-amazon-mws#33).
"""

from __future__ import annotations

from typing import Any

import defusedxml.ElementTree as SafeET
import xmltodict
from defusedxml import DefusedXmlException

from .errors import MwsError

#: Elements that repeat in MWS responses; always parsed as lists, even when only one is present.
REPEATED = frozenset({
    "Order", "OrderItem", "Participation", "Marketplace", "FeedSubmissionInfo", "Result", "Message",
    "PromotionId", "PaymentExecutionDetailItem", "PaymentMethodDetail", "TaxClassification", "member",
    "Error", "ReportRequestInfo", "ReportInfo",
})


class HostileXmlError(MwsError):
    """The body declared a DTD or entities, or is not well-formed XML; it was not processed."""


def _strip_namespace(_path: list, key: str, value: Any) -> tuple[str, Any] | None:
    if key.startswith("@xmlns") or key.startswith("@xsi:"):
        return None
    if ":" in key:
        key = key.rsplit(":", 1)[1]
        if key.startswith("xmlns"):
            return None
    return key, value


def parse_xml(body: bytes | str) -> dict[str, Any]:
    """Parse ``body`` safely into ``{RootName: {...}}``; raise ``HostileXmlError`` when refused."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    try:
        SafeET.fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HostileXmlError(f"refused XML with a DTD or entity declarations ({type(exc).__name__})") from None
    except SafeET.ParseError as exc:
        raise HostileXmlError(f"response is not well-formed XML: {exc}") from None
    return xmltodict.parse(
        body, postprocessor=_strip_namespace, force_list=REPEATED, disable_entities=True,
        process_namespaces=False,
    )


def as_list(value: Any) -> list:
    """``None`` -> ``[]``, a single item -> ``[item]``, a list stays a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str | None:
    """The text of a leaf that may carry attributes (``{"#text": ..., "@attr": ...}``)."""
    if isinstance(value, dict):
        return value.get("#text")
    return value


def root(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The document's single root element name and content (an empty root gives ``{}``)."""
    (name, content), = doc.items()
    return name, content if isinstance(content, dict) else {}
