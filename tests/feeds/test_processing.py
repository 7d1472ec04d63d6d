"""The processing-rule table (lib.feeds.processing) against the XSD-derived rules, and its small checks."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mws_component.lib.feeds.processing import RULES, amount_problem, instant, price_problem, url_problem
from mws_component.lib.feeds.rules import ComplexRule, rules

# Price-feed amounts left out on purpose: a deposit of 0 means "no deposit".
NOT_PRICES = {"Price/DepositAmount"}


def _resolve(message_type: str, path: str):
    rule = rules().root(message_type)
    for step in [s for s in path.split("/") if s != "."]:
        assert isinstance(rule, ComplexRule) and step in rule.by_xml, f"{message_type}/{path}: no {step}"
        rule = rule.by_xml[step].rule
    return rule


def _kind(rule) -> str:
    if isinstance(rule, ComplexRule):
        return rule.value.kind if rule.value is not None else "complex"
    return rule.kind


@pytest.mark.parametrize("processing", RULES, ids=[f"{r.name}-{r.message_type}-{r.paths[0]}" for r in RULES])
def test_every_path_names_elements_of_the_schema(processing):
    for path in processing.paths:
        rule = _resolve(processing.message_type, path)
        if processing.name == "positivePrice":
            assert _kind(rule) in ("decimal", "string"), path
        elif processing.name == "imageUrl":
            assert _kind(rule) == "anyURI", path
        elif processing.name == "endAfterStart":
            assert {"StartDate", "EndDate"} <= set(rule.by_xml), path
            assert _kind(rule.by_xml["EndDate"].rule) == "dateTime"


def test_every_amount_of_the_price_feed_is_checked():
    """A regenerated Price.xsd with a new price element makes this fail until the table says what to do."""
    covered = {f"Price/{p}" for r in RULES if r.name == "positivePrice" and r.message_type == "Price" for p in r.paths}
    amounts = set()

    def walk(rule: ComplexRule, path: str) -> None:
        for field in rule.ordered:
            kind, where = _kind(field.rule), f"{path}/{field.xml}"
            if kind == "decimal" or (isinstance(field.rule, ComplexRule) and "currency" in field.rule.attrs):
                amounts.add(where)
            if kind == "complex":
                walk(field.rule, where)

    walk(rules().root("Price"), "Price")
    assert amounts - NOT_PRICES == covered


@pytest.mark.parametrize(("text", "fine"), [
    ("19.99", True), ("0.0001", True), ("+5", True), ("0", False), ("0.00", False), ("-1.00", False), ("-0", False)])
def test_price_problem(text, fine):
    assert (price_problem(text) is None) is fine


@pytest.mark.parametrize(("text", "fine"), [("", True), ("  ", True), ("9.99", True), ("cheap", False), ("1e3", False)])
def test_amount_problem_for_prices_typed_as_text(text, fine):
    assert (amount_problem(text) is None) is fine


@pytest.mark.parametrize(("url", "fine"), [
    ("https://images.example.com/a.jpg", True), ("http://x.y/a?b=c#d", True), ("HTTPS://EXAMPLE.COM", True),
    ("https://user@example.com:8443/a.jpg", True), ("javascript:alert(1)", False), ("file:///etc/passwd", False),
    ("ftp://example.com/a.jpg", False), ("https:///a.jpg", False), ("http://:80/a.jpg", False),
    ("//example.com/a.jpg", False), ("images/a.jpg", False), ("", False), ("data:image/png;base64,AAAA", False)])
def test_url_problem(url, fine):
    assert (url_problem(url) is None) is fine


def test_instant_reads_zones_and_treats_none_as_utc():
    assert instant("2024-07-01T02:00:00+02:00") == datetime(2024, 7, 1, tzinfo=timezone.utc)
    assert instant("2024-07-01T00:00:00") == instant("2024-07-01T00:00:00Z")
    assert instant("2024-07-01T00:00:00.123456789-05:30") == datetime(
        2024, 7, 1, 0, 0, 0, 123456, tzinfo=timezone(-timedelta(hours=5, minutes=30)))
    assert instant("2024-02-30T00:00:00Z") is None and instant("soon") is None
