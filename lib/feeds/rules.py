"""The generated schema digest (``data/rules.json``) compiled into rule objects, once, on demand.

``scripts/gen_feed_rules.py`` writes the data from Amazon's XSDs. Here each complex type becomes a
:class:`ComplexRule`: its child elements in schema order (with their JSON names, cardinality and
rule), its attributes, and the choice/optional groups that need a presence check. Only the types
reachable from a root that is actually used get compiled, so an inventory feed never pays for the
54 product categories.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .naming import json_name
from .simple import SimpleRule

DATA = Path(__file__).with_name("data") / "rules.json"
UNBOUNDED = -1
PLAIN_KINDS = frozenset({"integer", "decimal", "float", "boolean", "date", "datetime"})


class Field:
    """One child element of a complex type, as the JSON object names it."""

    __slots__ = ("xml", "key", "min", "max", "order", "rule", "simple", "required", "choice_of", "start", "end",
                 "empty", "escape")

    def __init__(self, xml: str, rule: Rule, low: int, high: int, order: int) -> None:
        self.xml, self.key, self.rule = xml, json_name(xml), rule
        self.min, self.max, self.order = low, high, order
        self.simple = isinstance(rule, SimpleRule)
        # How the writer (``content``) spells the element, made once: the tags, and whether its text
        # can hold characters to escape (numbers, dates and booleans never do).
        self.start, self.end, self.empty = f"<{xml}>", f"</{xml}>", f"<{xml}/>"
        self.escape = not (self.simple and rule.kind.lower() in PLAIN_KINDS)  # type: ignore[union-attr]
        self.required = False  # set when the element is required outside any group
        self.choice_of: tuple[str, ...] = ()  # the alternatives, when the element sits in a choice

    def present(self, obj: dict) -> bool:
        return obj.get(self.key) is not None


class Attribute:
    __slots__ = ("xml", "key", "rule", "required")

    def __init__(self, xml: str, rule: SimpleRule, required: bool) -> None:
        self.xml, self.key, self.rule, self.required = xml, json_name(xml), rule, required


class Group:
    """A nested sequence or choice whose rules depend on which of its elements are present."""

    __slots__ = ("choice", "min", "children", "keys", "emptiable", "flat")

    def __init__(self, choice: bool, low: int, children: list[Field | Group]) -> None:
        self.choice, self.min, self.children = choice, low, children
        self.keys = tuple(k for c in children for k in (c.keys if isinstance(c, Group) else (c.key,)))
        self.flat = not any(isinstance(c, Group) for c in children)
        if low == 0:
            self.emptiable = True
        elif choice:
            self.emptiable = any(_emptiable(c) for c in children)
        else:
            self.emptiable = all(_emptiable(c) for c in children)

    def present(self, obj: dict) -> bool:
        return any(obj.get(k) is not None for k in self.keys)


def _emptiable(particle: Field | Group) -> bool:
    return particle.emptiable if isinstance(particle, Group) else particle.min == 0


class ComplexRule:
    """An element with children and/or attributes (simple content when ``value`` is set)."""

    __slots__ = ("fields", "ordered", "by_xml", "attrs", "attr_list", "value", "groups", "top")

    def __init__(self) -> None:
        self.fields: dict[str, Field] = {}
        self.ordered: tuple[Field, ...] = ()
        self.by_xml: dict[str, Field] = {}
        self.attrs: dict[str, Attribute] = {}
        self.attr_list: tuple[Attribute, ...] = ()
        self.value: SimpleRule | None = None
        self.groups: tuple[Group, ...] = ()
        self.top: Group | None = None

    @property
    def required_attrs(self) -> tuple[Attribute, ...]:
        return tuple(a for a in self.attr_list if a.required)


Rule = SimpleRule | ComplexRule


class Rules:
    """Lazily compiled view of rules.json."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.raw: list[dict] = data["types"]
        self.compiled: dict[int, Rule] = {}
        self.roots: dict[str, int] = data["roots"]

    def root(self, element: str) -> ComplexRule:
        """The rule of a message payload element (``Inventory``, ``Product``, ``Header``, ...)."""
        rule = self.rule(self.roots[element])
        assert isinstance(rule, ComplexRule)
        return rule

    def rule(self, type_id: int) -> Rule:
        if type_id not in self.compiled:
            raw = self.raw[type_id]
            self.compiled[type_id] = self._simple(raw) if "k" in raw else self._complex(raw)
        return self.compiled[type_id]

    def _simple(self, raw: dict) -> SimpleRule:
        members = [self.rule(i) for i in raw.get("of", [])]
        return SimpleRule(raw, members)  # type: ignore[arg-type]

    def _complex(self, raw: dict) -> ComplexRule:
        rule = ComplexRule()
        rule.attr_list = tuple(Attribute(n, self.rule(t), bool(r)) for n, t, r in raw.get("attrs", []))  # type: ignore[arg-type]
        rule.attrs = {a.key: a for a in rule.attr_list}
        if "value" in raw:
            rule.value = self.rule(raw["value"])  # type: ignore[assignment]
        if "model" in raw:
            ordered: list[Field] = []
            top = self._particle(raw["model"], ordered)
            rule.ordered = tuple(ordered)
            rule.fields = {f.key: f for f in ordered}
            rule.by_xml = {f.xml: f for f in ordered}
            rule.top = top if isinstance(top, Group) else Group(False, 1, [top])
            rule.groups = _top_level(rule.top)
        return rule

    def _particle(self, raw: list | dict, ordered: list[Field]) -> Field | Group:
        if isinstance(raw, list):
            name, type_id, low, high = raw
            field = Field(name, self.rule(type_id), low, high, len(ordered))
            ordered.append(field)
            return field
        choice = "choice" in raw
        children = [self._particle(p, ordered) for p in raw["choice" if choice else "seq"]]
        group = Group(choice, raw.get("min", 1), children)
        if choice:
            for child in children:
                if isinstance(child, Field):
                    child.choice_of = group.keys
        return group


def _top_level(top: Group) -> tuple[Group, ...]:
    """Mark the plainly required elements; return the groups that need a presence check."""
    if top.choice or top.min != 1:
        return (top,)
    groups = []
    for child in top.children:
        if isinstance(child, Group):
            groups.append(child)
        elif child.min >= 1:
            child.required = True
    return tuple(groups)


@cache
def rules() -> Rules:
    """The one shared, lazily compiled rule set."""
    return Rules(json.loads(DATA.read_text(encoding="utf-8")))
