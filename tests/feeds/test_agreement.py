"""Property tests: our rules and Amazon's XSDs (via libxml2) reach the same verdicts.

* JSON side: mutate valid items at random; whenever build_feed accepts the result, the XSDs must too
  (we may be stricter, never looser).
* XML side: mutate valid messages (drop, duplicate, reorder, add elements; bad text and attributes);
  validate_message must report a problem exactly when the XSDs reject the document.
"""

from __future__ import annotations

import contextlib
import copy
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mws_component.lib.feeds import FeedValidationError, build_feed, validate_message
from mws_component.lib.feeds.categories import category_elements
from mws_component.lib.feeds.naming import json_name
from mws_component.lib.feeds.rules import rules

from .samples import branches, category_rule, sample

SIMPLE = [("inventory", "Inventory"), ("price", "Price"), ("image", "ProductImage"),
          ("relationship", "Relationship"), ("override", "Override")]
VALUES = ["", " ", "x", "x" * 40, "x" * 41, "x" * 101, "x" * 501, -1, 0, 1, 2**31, 1.5, "1.234", "1.23",
          "12345678901234567890123", "abc", True, "true", "TRUE", "2024-01-01", "2024-01-01T00:00:00Z", "New",
          "https://x.y/z", {}, [], ["a"], {"value": "1"}, {"value": "1", "unitOfMeasure": "CM"},
          {"value": "1", "currency": "USD"}, "-0.5", "1e5", " padded ", "tab\there", "A & <b>", "ünï©ødé", "+5", "007"]
TEXTS = ["", "-1", "0", "abc", "x" * 41, "x" * 600, "1.23456", "true", "yes", "2024-01-01", "New", " padded ", "USD"]
SETTINGS = settings(max_examples=250, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@cache
def cases() -> tuple[tuple[str, str, dict], ...]:
    """Valid items: every simple kind and branch, and every third product category with every field."""
    found = []
    for kind, element in SIMPLE:
        rule = rules().root(element)
        for branch in range(branches(rule)):
            found += [(kind, element, sample(rule, full=full, branch=branch)) for full in (True, False)]
    for element in category_elements()[::3]:
        item = sample(rules().root("Product"), full=True)
        item["productData"] = {json_name(element): sample(category_rule(element), full=True)}
        found.append(("product", "Product", item))
    return tuple(found)


def _paths(value, prefix=()):
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _set(item, path, value) -> None:
    for key in path[:-1]:
        item = item[key]
    item[path[-1]] = value


@SETTINGS
@given(data=st.data())
def test_accepted_items_are_always_valid_xml(data, xsd_accepts):
    kind, _, base = data.draw(st.sampled_from(cases()))
    item = copy.deepcopy(base)
    for path in data.draw(st.lists(st.sampled_from(list(_paths(base))), min_size=1, max_size=2)):
        with contextlib.suppress(KeyError, IndexError, TypeError):  # the path vanished under an earlier change
            _set(item, path, data.draw(st.sampled_from(VALUES)))
    try:
        feed = build_feed(kind, [item], merchant_id="A1EXAMPLE")
    except FeedValidationError:
        return
    assert xsd_accepts(feed.xml), feed.xml.decode()


def _mutate(payload: etree._Element, data) -> None:
    nodes = [e for e in payload.iter() if e is not payload]
    if not nodes:
        return
    node = data.draw(st.sampled_from(nodes))
    parent = node.getparent()
    operation = data.draw(st.sampled_from(["drop", "text", "duplicate", "swap", "unknown", "attribute"]))
    if operation == "drop":
        parent.remove(node)
    elif operation == "text" and len(node) == 0:
        node.text = data.draw(st.sampled_from(TEXTS))
    elif operation == "duplicate":
        parent.insert(parent.index(node), copy.deepcopy(node))
    elif operation == "swap" and parent.index(node) > 0:
        index = parent.index(node)
        parent.remove(node)
        parent.insert(index - 1, node)
    elif operation == "unknown":
        etree.SubElement(parent, "Bogus")
    elif operation == "attribute" and node.attrib:
        node.set(next(iter(node.attrib)), data.draw(st.sampled_from(TEXTS)))


@SETTINGS
@given(data=st.data())
def test_validate_message_agrees_with_the_xsd(data, envelope_schema):
    kind, element, item = data.draw(st.sampled_from(cases()))
    document = etree.fromstring(build_feed(kind, item, merchant_id="A1EXAMPLE").xml)
    message = document.find("Message")
    for _ in range(data.draw(st.integers(1, 2))):
        _mutate(message.find(element), data)
    xsd_ok = envelope_schema.validate(document)
    problems = validate_message(element, message)
    assert xsd_ok == (not problems), (
        f"XSD says {'valid' if xsd_ok else [e.message for e in envelope_schema.error_log]}, we say {problems}\n"
        + etree.tostring(message).decode()
    )


@pytest.mark.parametrize(("kind", "element"), SIMPLE)
def test_builder_output_passes_validate_message(kind, element):
    for case_kind, _, item in cases():
        if case_kind == kind:
            message = etree.fromstring(build_feed(kind, item, merchant_id="M").xml).find("Message")
            assert validate_message(element, message) == []
