"""Check one parsed ``<Message>`` payload against the same generated rules the builder uses.

For the sandbox: it receives feeds as XML and must answer with processing-report errors the way
Amazon would, without the XSD files. The payload is read into the JSON shape under the rules
(checking element order, unknown elements and repeats on the way) and then goes through the very
same checks as a JSON item, with XSD whitespace semantics (no trimming) and XML-style paths such as
``Price/StandardPrice/@currency``.
"""

from __future__ import annotations

from lxml import etree

from .content import fill
from .problems import Sink
from .rules import ComplexRule, Rule, rules

ENVELOPE_CHILDREN = {"MessageID", "OperationType"}


def validate_message(message_type: str, element: etree._Element) -> list[str]:
    """Problems of one message payload (``<Inventory>``..., or the whole ``<Message>``); ``[]`` if valid."""
    payload = _payload(element)
    if payload is None:
        return ["Message: holds no payload element"]
    name = _local(payload.tag)
    if name != message_type:
        return [f"Message: MessageType is {message_type} but the message holds <{name}>"]
    if message_type not in rules().roots or message_type == "Header":
        return [f"{message_type}: this validator has no rules for MessageType {message_type}"]
    sink = Sink(xml_paths=True)
    rule = rules().root(message_type)
    value = _to_json(rule, payload, message_type, sink)
    fill(rule, value, message_type, [], message_type, sink, trim=False)  # the verdict only, not the text
    return [str(p) for p in sink.problems]


def _payload(element: etree._Element) -> etree._Element | None:
    if _local(element.tag) != "Message":
        return element
    return next((c for c in element if isinstance(c.tag, str) and _local(c.tag) not in ENVELOPE_CHILDREN), None)


def _to_json(rule: Rule, element: etree._Element, path: str, sink: Sink) -> object:
    """The element in the builder's JSON shape; order, unknown and repeated elements reported here."""
    children = [c for c in element if isinstance(c.tag, str)]
    if not isinstance(rule, ComplexRule) or rule.value is not None:
        if not isinstance(rule, ComplexRule) and rule.kind == "any":
            return {}  # xsd:anyType takes any content
        if children:
            sink.add(path, "type", "holds child elements; a text value is expected")
        if not isinstance(rule, ComplexRule):
            return element.text or ""
        return {"value": element.text or "", **_attributes(rule, element, path, sink)}
    obj: dict = _attributes(rule, element, path, sink)
    if (element.text or "").strip() or any((c.tail or "").strip() for c in element):
        sink.add(path, "type", "holds text; only child elements are allowed here")
    last = None
    for child in children:
        name = _local(child.tag)
        field = rule.by_xml.get(name)
        if field is None:
            sink.add(f"{path}/{name}", "unexpectedElement", f"is not allowed here; allowed: {', '.join(rule.by_xml) or 'nothing'}")
            continue
        if last is not None and field.order < last.order:
            sink.add(f"{path}/{name}", "order", f"must come before {last.xml} (schema order)")
        last = field
        value = _to_json(field.rule, child, f"{path}/{name}", sink)
        if field.max != 1:
            obj.setdefault(field.key, []).append(value)
        elif field.key in obj:
            sink.add(f"{path}/{name}", "maxOccurs", "appears more than once; only one is allowed")
        else:
            obj[field.key] = value
    return obj


def _attributes(rule: ComplexRule, element: etree._Element, path: str, sink: Sink) -> dict:
    found = {}
    by_xml = {a.xml: a for a in rule.attr_list}
    for name, value in element.attrib.items():
        if name.startswith("{"):
            continue  # xsi:* and other namespaced attributes are not the schema's business here
        attr = by_xml.get(name)
        if attr is None:
            sink.add(f"{path}/@{name}", "unexpectedAttribute", "is not an attribute of this element")
        else:
            found[attr.key] = value
    return found


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
