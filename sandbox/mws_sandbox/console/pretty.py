"""Feed content made readable: XML re-indented, JSON indented, anything else (flat files) as sent.

XML is parsed with defusedxml (no entities, no external references), so a hostile feed cannot make
the console read files or expand bombs; content that does not parse is shown exactly as submitted.
"""

from __future__ import annotations

import json
import re
from xml.dom.minidom import Node
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.minidom import parseString

DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


def pretty(text: str) -> str:
    stripped = text.strip()
    if stripped.startswith("<"):
        return _xml(stripped)
    if stripped.startswith(("{", "[")):
        return _json(stripped)
    return text


def _drop_blank_text(node: Node) -> None:
    """Whitespace between elements would be printed again on top of the new indentation."""
    for child in list(node.childNodes):
        if child.nodeType == Node.TEXT_NODE and not child.data.strip() and len(node.childNodes) > 1:
            node.removeChild(child)
        elif child.nodeType == Node.ELEMENT_NODE:
            _drop_blank_text(child)


def _xml(text: str) -> str:
    match = DECLARATION.match(text)  # the text is already decoded: the declared encoding no longer applies
    try:
        document = parseString(text[match.end() if match else 0:])
    except (ExpatError, DefusedXmlException):
        return text
    _drop_blank_text(document.documentElement)
    declaration = match.group(0).strip() + "\n" if match else ""
    return declaration + document.documentElement.toprettyxml(indent="  ").rstrip("\n")


def _json(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except json.JSONDecodeError:
        return text
