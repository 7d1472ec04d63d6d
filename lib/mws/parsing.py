"""Reading Amazon's XML as hostile input, in one pass.

One expat parser reads each body, guarded as defusedxml guards its own (a DTD, entity declarations
and external references are refused with defusedxml's errors) and counting elements and attributes:
past ``MAX_ELEMENTS`` the body is refused before the tree gets big. xmltodict drives that parser and
turns the body into plain dicts with namespace prefixes and ``xmlns`` attributes removed and known
repeated elements always lists, so parsers neither depend on element order nor trip over the
single-item-is-a-dict quirk (czpython/python-amazon-mws#33).
"""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from .errors import HostileXmlError, ResponseTooLargeError

__all__ = ["MAX_ELEMENTS", "REPEATED", "HostileXmlError", "as_list", "parse_xml", "root", "text"]

#: Elements plus attributes one body may hold. A 100-order ListOrders page has about 10,000.
MAX_ELEMENTS = 200_000

#: Elements that repeat in MWS responses; always parsed as lists, even when only one is present.
REPEATED = frozenset({
    "Order", "OrderItem", "Participation", "Marketplace", "FeedSubmissionInfo", "Result", "Message",
    "PromotionId", "PaymentExecutionDetailItem", "PaymentMethodDetail", "TaxClassification", "member",
    "Error", "ReportRequestInfo", "ReportInfo",
})


def _refuse_dtd(name, sysid, pubid, has_internal_subset):
    raise DTDForbidden(name, sysid, pubid)


def _refuse_entity(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)


def _refuse_unparsed_entity(name, base, sysid, pubid, notation_name):
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)


def _refuse_external(context, base, sysid, pubid):
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


class _GuardedParser:
    """An expat parser as xmltodict sees it, with defusedxml's refusals fixed and elements counted."""

    _GUARDS = {
        "StartDoctypeDeclHandler": _refuse_dtd,
        "EntityDeclHandler": _refuse_entity,
        "UnparsedEntityDeclHandler": _refuse_unparsed_entity,
        "ExternalEntityRefHandler": _refuse_external,
    }

    def __init__(self, parser: Any, max_elements: int) -> None:
        for name, guard in self._GUARDS.items():
            setattr(parser, name, guard)
        object.__setattr__(self, "_parser", parser)
        object.__setattr__(self, "_max", max_elements)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parser, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._GUARDS:
            return  # the refusals above stay whatever the driver would install
        if name == "StartElementHandler":
            value = self._counting(value)
        setattr(self._parser, name, value)

    def _counting(self, start: Any) -> Any:
        limit, seen = self._max, 0

        def counted(name: str, attrs: list) -> None:
            nonlocal seen
            seen += 1 + len(attrs) // 2  # ordered_attributes: [name, value, name, value, ...]
            if seen > limit:
                raise ResponseTooLargeError(
                    f"the answer holds more than {limit} XML elements and attributes; refused at <{name}>",
                    limit=limit, received=seen,
                )
            start(name, attrs)

        return counted


class _GuardedExpat:
    """The ``expat`` module handed to xmltodict: every parser it creates is a guarded one."""

    def __init__(self, max_elements: int) -> None:
        self.max_elements = max_elements

    def ParserCreate(self, *args: Any) -> _GuardedParser:  # expat's own name
        return _GuardedParser(expat.ParserCreate(*args), self.max_elements)


def _strip_namespace(_path: list, key: str, value: Any) -> tuple[str, Any] | None:
    if key.startswith("@xmlns") or key.startswith("@xsi:"):
        return None
    if ":" in key:
        key = key.rsplit(":", 1)[1]
        if key.startswith("xmlns"):
            return None
    return key, value


def parse_xml(body: bytes | str, *, max_elements: int = MAX_ELEMENTS) -> dict[str, Any]:
    """Parse ``body`` safely into ``{RootName: {...}}``.

    Raises ``HostileXmlError`` for a DTD, entities or XML that is not well-formed, and
    ``ResponseTooLargeError`` past ``max_elements`` elements and attributes.
    """
    import xmltodict  # with the first answer, not at start-up (it pulls in xml.sax)

    if isinstance(body, str):
        body = body.encode("utf-8")
    try:
        return xmltodict.parse(
            body, expat=_GuardedExpat(max_elements), postprocessor=_strip_namespace, force_list=REPEATED,
            disable_entities=True, process_namespaces=False,
        )
    except DefusedXmlException as exc:
        raise HostileXmlError(f"refused XML with a DTD or entity declarations ({type(exc).__name__})") from None
    except expat.ExpatError as exc:
        raise HostileXmlError(f"response is not well-formed XML: {exc}") from None


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
