"""Walk one JSON object against a compiled rule, writing its XML in schema order as escaped text.

Validation and writing are one pass: each present field is checked and its element written, as
text appended to a list, in the order the XSD sequence demands, whatever the JSON key order. Text,
not lxml elements: a feed is mostly small flat messages, and building elements only to serialise
them cost more than all the checks (the bytes are the ones lxml writes, escaping included; the
golden files pin them). Problems go to a :class:`~lib.feeds.problems.Sink` and the walk carries on,
so one call reports everything wrong with an item; the caller throws the text away when the sink is
not empty. An element whose value broke a rule is written empty (``<Quantity/>``), so a later check
on the message (``processing``) skips it and one mistake is reported once.

JSON shape (the issue's naming): child elements by lowerCamelCase name; a repeated element is an
array; an element with attributes is ``{"value": ..., "<attribute>": ...}`` (a bare value is accepted
when no attribute is required); ``None`` means "not given".
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches

from mws_component.lib.mws.errors import kind_of

from .problems import Sink
from .rules import UNBOUNDED, Attribute, ComplexRule, Field, Group, Rule
from .simple import ValueProblem, show

LISTED = 60  # field names listed for an unknown key (all 54 categories fit)


def escape_text(text: str) -> str:
    """Element text as libxml2 writes it: ``&``, ``<``, ``>`` and CR escaped (the simple rules have
    already refused every character XML 1.0 cannot carry)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                            "\r": "&#13;"})


def escape_attribute(value: str) -> str:
    """An attribute value as libxml2 writes it between double quotes (tab, LF, CR kept as references,
    since a parser would turn them into spaces)."""
    return value.translate(_ATTRIBUTE)


def element(out: list[str], tag: str, text: str | None, attributes: str = "") -> None:
    """``<tag attributes>text</tag>``; ``<tag/>`` when there is no text (lxml writes ``""`` as ``<tag></tag>``)."""
    if text is None:
        out.append(f"<{tag}{attributes}/>")
    else:
        out.append(f"<{tag}{attributes}>{escape_text(text)}</{tag}>")


def fill(rule: Rule, value: object, tag: str, out: list[str], path: str, sink: Sink, trim: bool = True) -> None:
    """Check ``value`` against ``rule`` and append element ``tag`` for it (text, attributes, children) to ``out``."""
    if not isinstance(rule, ComplexRule):
        try:
            text = rule.text(value, trim)
        except ValueProblem as problem:
            sink.add(path, problem.rule, problem.message)
            text = None
        element(out, tag, text)
    elif rule.value is not None:
        _simple_content(rule, value, tag, out, path, sink, trim)
    elif type(value) is dict or isinstance(value, Mapping):
        start = len(out)
        out.append("")  # the start tag, once the attributes are known
        attributes = _attributes(rule, value, path, sink, trim) if rule.attr_list else ""
        children(rule, value, out, path, sink, trim)
        if len(out) == start + 1:
            out[start] = f"<{tag}{attributes}/>"
        else:
            out[start] = f"<{tag}{attributes}>"
            out.append(f"</{tag}>")
    else:
        fields = ", ".join(f.key for f in rule.ordered[:8]) or "none"
        sink.add(path, "type", f"expected an object (fields: {fields}), got {kind_of(value)} {show(value)}")
        out.append(f"<{tag}/>")


def children(rule: ComplexRule, obj: Mapping, out: list[str], path: str, sink: Sink, trim: bool = True) -> str | None:
    """Append the child elements of ``obj`` (no attributes); the first child's text, if it has one.

    That first text names a message (its SKU, ParentSKU or AmazonOrderID), so the builder gets it here
    rather than by reading the output back.
    """
    first: str | None = None
    seen = 0
    for field in rule.ordered:
        value = obj.get(field.key)
        if value is None:
            if field.required:
                sink.add(_at(path, field, sink), "required", _required_message(field))
            continue
        seen += 1
        if field.max != 1:
            _repeated(field, value, out, _at(path, field, sink), sink, trim)
        elif type(value) is list or type(value) is tuple:
            sink.add(_at(path, field, sink), "maxOccurs", "takes one value, not an array")
        elif field.simple:
            try:
                text = field.rule.text(value, trim)  # type: ignore[union-attr]
            except ValueProblem as problem:
                sink.add(_at(path, field, sink), problem.rule, problem.message)
                out.append(field.empty)
            else:
                if seen == 1:
                    first = text
                out.append(f"{field.start}{escape_text(text) if field.escape else text}{field.end}")
        else:
            fill(field.rule, value, field.xml, out, _at(path, field, sink), sink, trim)
    if seen != len(obj):
        _unknown_keys(rule, obj, path, sink)
    for group in rule.groups:
        _check_group(group, obj, path, sink)
    return first


def _repeated(field: Field, value: object, out: list[str], path: str, sink: Sink, trim: bool) -> None:
    """An element that may repeat: a JSON array (a single value counts as one item)."""
    items = value if isinstance(value, list | tuple) else [value]
    limit = "unbounded" if field.max == UNBOUNDED else str(field.max)
    if not items:
        sink.add(path, "minOccurs", "is an empty array; give at least one item or leave the field out")
        return
    if field.max != UNBOUNDED and len(items) > field.max:
        sink.add(path, "maxOccurs", f"has {len(items)} items; at most {limit} allowed")
    elif len(items) < field.min:
        sink.add(path, "minOccurs", f"has {len(items)} items; at least {field.min} needed")
    for i, item in enumerate(items):
        if item is None:
            sink.add(f"{path}[{i}]", "type", "is null; remove it from the array")
            continue
        fill(field.rule, item, field.xml, out, f"{path}[{i}]", sink, trim)


def _simple_content(rule: ComplexRule, value: object, tag: str, out: list[str], path: str, sink: Sink,
                    trim: bool) -> None:
    """``{"value": "19.99", "currency": "USD"}``, or a bare value when no attribute is required."""
    attributes = ""
    if isinstance(value, Mapping):
        raw = value.get("value")
        attributes = _attributes(rule, value, path, sink, trim)
        extra = [k for k, v in value.items() if v is not None and k != "value" and k not in rule.attrs]
        for key in extra:
            sink.add(f"{path}.{key}", "unknownField", _unknown_message(key, ["value", *rule.attrs]))
        if raw is None:
            sink.add(_value_at(path, sink), "required", "required (the element's value)")
            element(out, tag, None, attributes)
            return
    else:
        if rule.required_attrs:
            shape = ", ".join(f'"{a.key}": ...' for a in rule.attr_list if a.required)
            sink.add(path, "type", f'expected an object {{"value": ..., {shape}}}, got {kind_of(value)} {show(value)}')
            element(out, tag, None)
            return
        raw = value
    try:
        text = rule.value.text(raw, trim)  # type: ignore[union-attr]
    except ValueProblem as problem:
        sink.add(_value_at(path, sink) if isinstance(value, Mapping) else path, problem.rule, problem.message)
        text = None
    element(out, tag, text, attributes)


def _attributes(rule: ComplexRule, obj: Mapping, path: str, sink: Sink, trim: bool) -> str:
    """The checked attributes as written in a start tag (`` currency="USD"``), in schema order."""
    written = ""
    for attr in rule.attr_list:
        value = obj.get(attr.key)
        if value is None:
            if attr.required:
                sink.add(_attr_at(path, attr, sink), "required", f"required (the {attr.xml} attribute){_choices(attr.rule)}")
            continue
        try:
            written += f' {attr.xml}="{escape_attribute(attr.rule.text(value, trim))}"'
        except ValueProblem as problem:
            sink.add(_attr_at(path, attr, sink), problem.rule, problem.message)
    return written


def _check_group(group: Group, obj: dict, path: str, sink: Sink) -> None:
    """Choices: exactly one alternative; nested sequences: all-or-required."""
    if group.choice:
        if group.flat:
            chosen = [c for c in group.children if obj.get(c.key) is not None]  # type: ignore[union-attr]
        else:
            chosen = [c for c in group.children if c.present(obj)]
        if len(chosen) > 1:
            names = [_names(c, sink) for c in chosen]
            sink.add(_group_at(path, names, sink), "choice", f"give only one of {', '.join(names)}; they are alternatives")
        elif not chosen:
            if not group.emptiable:
                names = [_names(c, sink) for c in group.children]
                sink.add(_group_at(path, names, sink), "choice", f"required: give one of {', '.join(names)}")
        elif isinstance(chosen[0], Group):
            _check_group(chosen[0], obj, path, sink)
        return
    if group.min == 0 and not group.present(obj):
        return
    for child in group.children:
        if isinstance(child, Group):
            _check_group(child, obj, path, sink)
        elif child.min >= 1 and obj.get(child.key) is None:
            sink.add(_at(path, child, sink), "required", _required_message(child))


def _unknown_keys(rule: ComplexRule, obj: Mapping, path: str, sink: Sink) -> None:
    known = [*rule.fields, *rule.attrs]
    for key, value in obj.items():
        if value is not None and key not in rule.fields and key not in rule.attrs:
            sink.add(f"{path}.{key}", "unknownField", _unknown_message(key, known))


def _unknown_message(key: str, known: list[str]) -> str:
    same = [k for k in known if k.lower() == str(key).lower().replace("_", "").replace("-", "")]
    near = same or get_close_matches(str(key), known, n=1, cutoff=0.75)
    if near:
        return f"unknown field; did you mean '{near[0]}'? (names are the XSD names in lowerCamelCase)"
    listed = ", ".join(known[:LISTED]) + (f", ... ({len(known)} in all)" if len(known) > LISTED else "")
    return f"unknown field; known here: {listed or 'none'}"


def _required_message(field: Field) -> str:
    return f"required ({field.xml}){_choices(field.rule)}"


def _choices(rule: Rule) -> str:
    enum = rule.enumeration() if not isinstance(rule, ComplexRule) else None
    if enum and len(enum) <= 12:
        return f"; use one of: {', '.join(enum)}"
    return ""


def _names(particle: Field | Group, sink: Sink) -> str:
    if isinstance(particle, Field):
        return particle.xml if sink.xml_paths else particle.key
    return "+".join(_names(c, sink) for c in particle.children)


def _group_at(path: str, names: list[str], sink: Sink) -> str:
    return f"{path}/({'|'.join(names)})" if sink.xml_paths else f"{path}.{{{','.join(names)}}}"


def _attr_at(path: str, attr: Attribute, sink: Sink) -> str:
    return f"{path}/@{attr.xml}" if sink.xml_paths else f"{path}.{attr.key}"


def _value_at(path: str, sink: Sink) -> str:
    return path if sink.xml_paths else f"{path}.value"


def _at(path: str, field: Field, sink: Sink) -> str:
    return f"{path}/{field.xml}" if sink.xml_paths else f"{path}.{field.key}"
