"""The sandbox's default feed validators: Amazon's own XSDs when a directory of them is configured,
otherwise a few structural checks of its own. Neither comes from the client (``lib.feeds``).

A validator is ``(message_type, message) -> [problem, ...]``, run by ``feedcheck`` on each
structurally sound ``<Message>`` (an ElementTree element that defusedxml parsed); each problem
becomes a 5001 Error result. ``XsdValidator(directory)`` compiles ``amzn-envelope.xsd`` (which
includes every message type's schema) once per directory, copies the message's payload into an
lxml tree element by element (the untrusted feed is never re-parsed) and validates it as a
document, the way Amazon checked each message against its XSD (mws.md §4.5). The XSDs are
Amazon's and are not shipped with the project: pass ``Sandbox(xsd_dir=...)`` or set
``MWS_XSD_DIR`` (an ``MWS_XSD_DIR`` without the XSDs is ignored; a wrong ``xsd_dir`` is an error).
"""

from __future__ import annotations

import os
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

ENVELOPE_XSD = "amzn-envelope.xsd"
ENV_VAR = "MWS_XSD_DIR"
_ENVELOPE_CHILDREN = ("MessageID", "OperationType")
_compiled: dict[Path, object] = {}
_lock = threading.Lock()


def _payload(message: ET.Element) -> ET.Element | None:
    return next((c for c in message if c.tag not in _ENVELOPE_CHILDREN), None)


def structural_problems(message_type: str, message: ET.Element) -> list[str]:
    """Without XSDs: a payload must have content, and text and child elements never mix (no Amazon
    feed type has mixed content). Empty elements are left alone: ``<BeautyMisc/>`` is valid."""
    payload = _payload(message)
    if payload is None or len(payload) == 0:
        return [f"{message_type}: the message payload is empty; it must hold the elements of its type."]
    problems = []
    for element in payload.iter():
        if len(element) and (element.text or "").strip():
            problems.append(f"Element '{element.tag}' holds both text and child elements.")
    return problems


class XsdValidator:
    """Each message's payload validated against Amazon's XSDs found in ``directory``."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory).resolve()
        if not (self.directory / ENVELOPE_XSD).is_file():
            raise ValueError(f"{self.directory} holds no {ENVELOPE_XSD}; point xsd_dir (or {ENV_VAR}) at a "
                             "directory of Amazon's feed XSDs")

    def schema(self):
        from lxml import etree  # deferred: only needed once a feed is processed

        with _lock:
            if self.directory not in _compiled:
                _compiled[self.directory] = etree.XMLSchema(file=str(self.directory / ENVELOPE_XSD))
            return _compiled[self.directory]

    def __call__(self, message_type: str, message: ET.Element) -> list[str]:
        payload = _payload(message)
        if payload is None:
            return [f"{message_type}: the message holds no payload element."]
        schema = self.schema()
        if schema.validate(_copy(payload)):
            return []
        return [f"XML schema error (Amazon's {ENVELOPE_XSD}): {e.message}" for e in schema.error_log]


def _copy(element: ET.Element, parent=None):
    """The ElementTree element as an lxml element, built node by node (no parsing)."""
    from lxml import etree

    made = etree.Element(element.tag, dict(element.attrib)) if parent is None else \
        etree.SubElement(parent, element.tag, dict(element.attrib))
    made.text, made.tail = element.text, element.tail if parent is not None else None
    for child in element:
        _copy(child, made)
    return made


def default_validator(xsd_dir: str | os.PathLike | None = None):
    """``XsdValidator`` over ``xsd_dir`` (which must hold the XSDs), else over ``$MWS_XSD_DIR`` when that
    names a directory of them, else ``structural_problems``."""
    if xsd_dir:
        return XsdValidator(xsd_dir)
    ambient = os.environ.get(ENV_VAR)
    if ambient and (Path(ambient) / ENVELOPE_XSD).is_file():
        return XsdValidator(ambient)
    return structural_problems
