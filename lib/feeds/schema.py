"""In-metadata JSON schemas of feed items, in the platform's dialect, from the same rules.

The flow builder's mapper shows these (``getMetaModel`` of the submit actions): every field with
its XSD name as ``title``, ``required: true`` on a property (draft-3 style, as the platform wants),
``enum`` lists, arrays with ``items`` for repeated elements, and ``{"value", <attribute>...}``
objects for elements with attributes. Alternatives of an XSD choice say so in ``description``.
"""

from __future__ import annotations

import json
from functools import cache

from .builder import feed_kind
from .categories import resolve_category
from .naming import json_name
from .rules import UNBOUNDED, ComplexRule, Field, Rule, rules

_TYPES = {"integer": "number", "decimal": "number", "float": "number", "boolean": "boolean"}
_FORMATS = {"date": "date", "dateTime": "date-time", "anyURI": "uri"}


def item_schema(kind: str) -> dict:
    """Schema of one item of a feed kind (``inventory``, ``price``, ``image``, ``relationship``, ...).

    For ``product`` it spans all 54 categories; the submit actions should use
    :func:`category_schema` for the chosen category instead.
    """
    return json.loads(_schema_text(feed_kind(kind).element, None))


def category_schema(display_name: str) -> dict:
    """Schema of a product item whose ``productData`` holds the given category (display name)."""
    label, elements = resolve_category(display_name)
    schema = json.loads(_schema_text("Product", tuple(elements)))
    schema["title"] = f"Product ({label})"
    return schema


@cache
def _schema_text(element: str, categories: tuple[str, ...] | None) -> str:
    """Cached as text so every caller gets a fresh, mutable copy."""
    rule = rules().root(element)
    keep = {json_name(e) for e in categories} if categories is not None else None
    return json.dumps({"type": "object", "title": element, "properties": _properties(rule, keep)})


def _properties(rule: ComplexRule, product_data: set[str] | None = None) -> dict:
    properties = {a.key: _simple(a.rule, a.xml, a.required) for a in rule.attr_list}
    for field in rule.ordered:
        if field.key == "productData" and product_data is not None:
            nested = field.rule
            assert isinstance(nested, ComplexRule)
            schema = {"type": "object", "title": field.xml, "properties": {
                k: v for k, v in _properties(nested).items() if k in product_data
            }}
        else:
            schema = _field(field)
        properties[field.key] = schema
    return properties


def _field(field: Field) -> dict:
    schema = _rule(field.rule, field.xml)
    if field.max != 1:
        schema = {"type": "array", "title": field.xml, "items": schema}
        if field.max != UNBOUNDED:
            schema["maxItems"] = field.max
    if field.required:
        schema["required"] = True
    if field.choice_of:
        others = [k for k in field.choice_of if k != field.key]
        schema["description"] = f"alternative to {', '.join(others)}: give only one of them"
    return schema


def _rule(rule: Rule, title: str) -> dict:
    if not isinstance(rule, ComplexRule):
        return _simple(rule, title, False)
    if rule.value is not None:
        properties = {"value": _simple(rule.value, "value", True)}
        properties.update({a.key: _simple(a.rule, a.xml, a.required) for a in rule.attr_list})
        return {"type": "object", "title": title, "properties": properties}
    return {"type": "object", "title": title, "properties": _properties(rule)}


def _simple(rule, title: str, required: bool) -> dict:
    schema: dict = {"type": _TYPES.get(rule.kind, "string"), "title": title}
    if required:
        schema["required"] = True
    if rule.kind in _FORMATS:
        schema["format"] = _FORMATS[rule.kind]
    enum = rule.enumeration()
    if enum:
        schema["enum"] = enum
    if rule.max_len is not None:
        schema["maxLength"] = rule.max_len
    if rule.min_len:
        schema["minLength"] = rule.min_len
    for key, bound, is_open in (("minimum", rule.lo, rule.lo_open), ("maximum", rule.hi, rule.hi_open)):
        if bound is not None and not is_open and rule.kind in ("integer", "decimal") and abs(bound) < 2**53:
            schema[key] = int(bound) if bound == int(bound) else float(bound)
    return schema
