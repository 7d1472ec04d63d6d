"""Sample JSON items derived from the compiled rules, to exercise every field and choice branch.

Values are picked per rule (first enumeration value, shortest allowed text, lowest allowed number,
...); whatever the builder emits for them must pass Amazon's real XSDs, which is what the tests check.
The samples come from our rules, the verdict from the XSDs, so a wrong rule shows up as a failure.
"""

from __future__ import annotations

from mws_component.lib.feeds.rules import ComplexRule, Group, rules
from mws_component.lib.feeds.simple import SimpleRule

# Values for the handful of patterns in the schemas; the first that fits is used.
PATTERN_SAMPLES = ["1", "1 x 2 x 3", "1 x 2", "+/-1", "2020", "AB1234567", "a@example.com", "US", "abc",
                   "123-1234567-1234567", "12345678901234", "1.01"]
FIXED = {"boolean": True, "date": "2024-05-31", "dateTime": "2024-05-31T12:00:00Z",
         "anyURI": "https://example.com/image.jpg"}
# Where Amazon's processing rules (lib.feeds.processing) ask more than the XSD: a period ends after it
# starts, and the seller-allowed price limits (text in the XSD) are amounts.
PROCESSING_FIXES = {
    "endDate": lambda value: value.replace("2024-05-31", "2024-06-30") if isinstance(value, str) else value,
    "minimumSellerAllowedPrice": lambda value: {**value, "value": "1.50"},
    "maximumSellerAllowedPrice": lambda value: {**value, "value": "1.50"},
}


def simple_sample(rule: SimpleRule) -> object:
    if rule.kind == "union":
        return simple_sample(rule.members[0])
    if rule.enum:
        return rule.enum[0]
    if rule.kind in FIXED:
        return FIXED[rule.kind]
    if rule.kind == "any":
        return {}
    if rule.kind in ("integer", "decimal", "float"):
        return _number(rule)
    if rule.patterns:
        return next(s for s in PATTERN_SAMPLES if all(p.fullmatch(s) for p in rule.patterns) and _fits(rule, s))
    size = min(max(rule.min_len or 1, 1), rule.max_len or 1)
    return "Sample text, with & and <angle> brackets"[:size] if size > 1 else "x"


def _number(rule: SimpleRule) -> int | float:
    low = rule.lo if rule.lo is not None else 1
    value = int(low) + 1 if rule.lo_open else int(low)
    return value if rule.kind == "integer" else float(value) + (0.5 if not rule.frac or rule.frac >= 1 else 0)


def _fits(rule: SimpleRule, sample: str) -> bool:
    return (rule.min_len or 0) <= len(sample) <= (rule.max_len or 10**6)


def sample(rule, *, full: bool, branch: int = 0) -> object:
    """A valid value: required fields only, or every field (``full``) taking choice branch ``branch``."""
    if isinstance(rule, SimpleRule):
        return simple_sample(rule)
    assert isinstance(rule, ComplexRule)
    if rule.value is not None:
        value: dict = {"value": simple_sample(rule.value)}
        value.update({a.key: simple_sample(a.rule) for a in rule.attr_list if a.required or full})
        return value
    obj: dict = {a.key: simple_sample(a.rule) for a in rule.attr_list if a.required}
    if rule.top is not None:
        _fill_group(rule.top, obj, full, branch)
    return obj


def _fill_group(group: Group, obj: dict, full: bool, branch: int) -> None:
    if not full and group.emptiable and (group.min == 0 or group.choice):
        return
    children = [group.children[branch % len(group.children)]] if group.choice else group.children
    for child in children:
        if isinstance(child, Group):
            _fill_group(child, obj, full, branch)
        elif full or child.min >= 1:
            value = sample(child.rule, full=full, branch=branch)
            value = PROCESSING_FIXES.get(child.key, lambda v: v)(value)
            obj[child.key] = value if child.max == 1 else [value] * max(child.min, 2)


def branches(rule: ComplexRule) -> int:
    """The widest choice anywhere under ``rule``, so branches 0..n-1 visit every alternative."""
    widest, seen, stack = 1, set(), [rule]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Group):
            widest = max(widest, len(node.children)) if node.choice else widest
            stack.extend(c.rule if not isinstance(c, Group) else c for c in node.children)
        elif isinstance(node, ComplexRule) and node.top is not None:
            stack.append(node.top)
    return widest


def category_rule(element: str) -> ComplexRule:
    data = rules().root("Product").fields["productData"].rule
    return data.by_xml[element].rule
