"""Checks and canonical text of one simple value (an element's text or an attribute).

Why here and not in lxml: the XSDs stay outside the repository, and a person needs a message that
names the JSON field and the fix, not libxml2's. Each rule is compiled once from the generated data;
``text()`` is on the hot path of every feed, so the common cases (a ``str`` SKU, an ``int``
quantity) take a few comparisons and no regular expression beyond the XML character check.

JSON values are trimmed first (the issue asks for it; libxml2 counts leading and trailing spaces
toward maxLength). After that the XSD whitespace rule of the type applies, exactly as a validator
would: ``replace`` turns tab/CR/LF into spaces, ``collapse`` also squeezes runs of spaces.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from mws_component.lib.mws.errors import kind_of

# Characters XML 1.0 cannot carry at all (lxml would refuse them half-way through a feed).
_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"  # compiled on first use: ~10 ms


@cache
def _not_xml() -> re.Pattern[str]:
    return re.compile(_NOT_XML)


_WS_REPLACE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
_WS_RUNS = re.compile("[ \t\n\r]+")
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_INTEGER = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|INF|-INF|NaN")
_ZONE = r"(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?"
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)" + _ZONE)
_DATETIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.\d+)?" + _ZONE)
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_BOOLEANS = {"true": "true", "false": "false", "1": "true", "0": "false"}
ENUM_SHOWN = 12


class ValueProblem(Exception):
    """One broken rule for one value: ``rule`` is the XSD facet or check, ``message`` the fix."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def show(value: object) -> str:
    """A value as quoted in a message: short, and never more than 60 characters."""
    text = repr(value) if not isinstance(value, str) else "'" + value + "'"
    return text if len(text) <= 60 else text[:56] + "...'"


class SimpleRule:
    """One flattened XSD simple type: base kind, whitespace rule and facets."""

    __slots__ = ("kind", "ws", "enum", "patterns", "pattern_text", "min_len", "max_len", "lo", "hi",
                 "lo_open", "hi_open", "digits", "frac", "members", "text", "padded")

    def __init__(self, data: dict, members: list[SimpleRule] | None = None) -> None:
        self.kind = data["k"]
        self.ws = data.get("ws", "preserve" if self.kind in ("string", "any") else "collapse")
        self.enum = tuple(data["enum"]) if "enum" in data else None
        # Enumeration values Amazon wrote with stray spaces ("att "): a trimmed value still matches.
        self.padded = {v.strip(): v for v in self.enum or () if v != v.strip()}
        self.pattern_text = data.get("pat", [])
        self.patterns = tuple(re.compile(p) for p in self.pattern_text)
        length = data.get("len")
        self.min_len = data.get("minLen", length)
        self.max_len = data.get("maxLen", length)
        self.lo, self.lo_open = _bound(data, "minIn", "minEx")
        self.hi, self.hi_open = _bound(data, "maxIn", "maxEx")
        self.digits, self.frac = data.get("digits"), data.get("frac")
        self.members = members or []
        self.text = getattr(self, "_" + self.kind.lower())

    # kinds --------------------------------------------------------------------------------------
    def _string(self, value: object, trim: bool = True) -> str:
        """Text as given (numbers allowed: SKU 12345), whitespace-normalised, then the facets."""
        if type(value) is str:
            text = value
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            text = _number_text(value)
        else:
            raise ValueProblem("type", f"expected text, got {kind_of(value)} {show(value)}")
        if trim:
            text = text.strip()
        if not text.isprintable():  # one C pass; tabs, newlines and anything XML refuses land here
            text = _unusual(text, self.ws)
        elif self.ws == "collapse" and ("  " in text or text[:1] == " " or text[-1:] == " "):
            text = _whitespace(text, "collapse")
        if self.min_len is not None or self.max_len is not None:
            self._lengths(text)
        if self.enum is not None or self.patterns:
            return self._enum_and_patterns(text)
        return text

    def _anyuri(self, value: object, trim: bool = True) -> str:
        text = self._string(value, trim)
        if any(c in text for c in " \t\n\r") or _BAD_ESCAPE.search(text) or ("[" in text or "]" in text):
            raise ValueProblem("anyURI", f"{show(text)} is not a valid URL; encode spaces as %20 and '%' as %25")
        head = re.split("[/?#]", text, maxsplit=1)[0]
        if ":" in head and not _URI_SCHEME.match(head):
            raise ValueProblem("anyURI", f"{show(text)} is not a valid URL; it should start like https://")
        return text

    def _any(self, value: object, trim: bool = True) -> str:
        """xsd:anyType leaves (Spirits, Beer, ElectronicGiftCard): text, or ``{}`` for an empty element."""
        if isinstance(value, Mapping):
            if value:
                raise ValueProblem("type", "takes no fields; give {} to choose it, or a text value")
            return ""
        return self._string(value, trim)

    def _integer(self, value: object, trim: bool = True) -> str:
        number = _as_integer(value)
        self._range(number)
        if self.digits is not None:
            self._digit_counts(number)
        text = str(number)
        if self.enum is not None or self.patterns:
            return self._enum_and_patterns(text)
        return text

    def _decimal(self, value: object, trim: bool = True) -> str:
        number, text = _as_decimal(value)
        self._range(number)
        if self.digits is not None or self.frac is not None:
            self._digit_counts(number)
        if self.enum is not None or self.patterns:
            return self._enum_and_patterns(text)
        return text

    def _float(self, value: object, trim: bool = True) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = repr(float(value)) if math.isfinite(value) else {math.inf: "INF", -math.inf: "-INF"}.get(value, "NaN")
        elif type(value) is str and _FLOAT.fullmatch(value.strip()):
            text = value.strip()
        else:
            raise ValueProblem("type", f"expected a number, got {kind_of(value)} {show(value)}")
        return text

    def _boolean(self, value: object, trim: bool = True) -> str:
        if value is True or value is False:
            return "true" if value else "false"
        if type(value) is str and value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[value.strip().lower()]
        raise ValueProblem("type", f"expected true or false, got {kind_of(value)} {show(value)}")

    def _date(self, value: object, trim: bool = True) -> str:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        text = value.strip() if type(value) is str else None
        if text is None or not _DATE.fullmatch(text) or not _real_date(text):
            raise ValueProblem("type", f"expected a date such as 2024-05-31, got {show(value)}")
        return text

    def _datetime(self, value: object, trim: bool = True) -> str:
        if isinstance(value, datetime):
            return value.isoformat()
        text = value.strip() if type(value) is str else None
        if text is None or not _DATETIME.fullmatch(text) or not _real_date(text):
            hint = " (add a time: 2024-05-31T00:00:00Z)" if text and _DATE.fullmatch(text) else ""
            raise ValueProblem("type", f"expected a date and time such as 2024-05-31T14:00:00Z, got {show(value)}{hint}")
        return text

    def _union(self, value: object, trim: bool = True) -> str:
        problems = []
        for member in self.members:
            try:
                return member.text(value, trim)
            except ValueProblem as problem:
                problems.append(problem)
        enums = [v for m in self.members for v in (m.enum or ())]
        if len(enums) == sum(len(m.enum or ()) for m in self.members) and all(m.enum for m in self.members):
            raise ValueProblem("enumeration", _enum_message(str(value).strip(), enums))
        raise ValueProblem(problems[0].rule, "; or ".join(p.message for p in problems))

    # facets -------------------------------------------------------------------------------------
    def _lengths(self, text: str) -> None:
        if self.min_len is not None and len(text) < self.min_len:
            if not text:
                raise ValueProblem("minLength", "must not be empty")
            raise ValueProblem("minLength", f"{show(text)} is {len(text)} characters long; at least {self.min_len} needed")
        if self.max_len is not None and len(text) > self.max_len:
            raise ValueProblem("maxLength", f"is {len(text)} characters long; at most {self.max_len} allowed")

    def _enum_and_patterns(self, text: str) -> str:
        if self.enum is not None and text not in self.enum:
            if text not in self.padded:
                raise ValueProblem("enumeration", _enum_message(text, self.enum))
            text = self.padded[text]
        for pattern, source in zip(self.patterns, self.pattern_text, strict=True):
            if not pattern.fullmatch(text):
                raise ValueProblem("pattern", f"{show(text)} does not have the required form {source}")
        return text

    def _range(self, number: int | Decimal) -> None:
        if self.lo is not None and (number <= self.lo if self.lo_open else number < self.lo):
            rule, word = ("minExclusive", "above") if self.lo_open else ("minInclusive", "at least")
            raise ValueProblem(rule, f"{number} is too small; it must be {word} {self.lo}")
        if self.hi is not None and (number >= self.hi if self.hi_open else number > self.hi):
            rule, word = ("maxExclusive", "below") if self.hi_open else ("maxInclusive", "at most")
            raise ValueProblem(rule, f"{number} is too large; it must be {word} {self.hi}")

    def _digit_counts(self, number: Decimal | int) -> None:
        whole, fraction = _digit_counts(number)
        if self.frac is not None and fraction > self.frac:
            raise ValueProblem("fractionDigits", f"{number} has {fraction} decimal places; at most {self.frac} allowed")
        if self.digits is not None and max(whole + fraction, fraction) > self.digits:
            raise ValueProblem("totalDigits", f"{number} has too many digits; at most {self.digits} in total")

    # what a JSON schema can say about this rule ---------------------------------------------------
    def enumeration(self) -> list[str] | None:
        if self.kind == "union":
            if not all(m.enum for m in self.members):
                return None
            return list(dict.fromkeys(v for m in self.members for v in m.enum))
        return list(self.enum) if self.enum is not None else None


def _bound(data: dict, inclusive: str, exclusive: str) -> tuple[int | Decimal | None, bool]:
    raw, is_open = (data[exclusive], True) if exclusive in data else (data.get(inclusive), False)
    if raw is None:
        return None, False
    number = Decimal(raw)
    return (int(number) if number == number.to_integral_value() else number), is_open


def _unusual(text: str, ws: str) -> str:
    """The slow path for text with control or exotic characters: refuse what XML cannot carry."""
    bad = _not_xml().search(text)
    if bad:
        raise ValueProblem("xmlCharacter", f"contains the character U+{ord(bad.group()):04X}, which XML cannot carry; remove it")
    return text if ws == "preserve" else _whitespace(text, ws)


def _whitespace(text: str, mode: str) -> str:
    if mode == "replace":
        return text.translate(_WS_REPLACE)
    return _WS_RUNS.sub(" ", text).strip(" ")


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, int):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else value
    return format(number, "f")


def _as_integer(value: object) -> int:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if kind is str and _INTEGER.fullmatch(value.strip()):  # type: ignore[union-attr]
        return int(value)  # type: ignore[arg-type]
    if kind in (float, Decimal) and math.isfinite(value) and value == int(value):  # type: ignore[arg-type]
        return int(value)  # type: ignore[arg-type]
    raise ValueProblem("type", f"expected a whole number, got {kind_of(value)} {show(value)}")


def _as_decimal(value: object) -> tuple[int | Decimal, str]:
    kind = type(value)
    if kind is int:
        return value, str(value)  # type: ignore[return-value]
    if kind is str and _DECIMAL.fullmatch(value.strip()):  # type: ignore[union-attr]
        text = value.strip()  # type: ignore[union-attr]
        return Decimal(text), text
    if kind in (float, Decimal) and math.isfinite(value):  # type: ignore[arg-type]
        number = Decimal(repr(value)) if kind is float else value
        return number, format(number, "f")  # type: ignore[return-value]
    raise ValueProblem("type", f"expected a number such as 19.99, got {kind_of(value)} {show(value)}")


def _digit_counts(number: Decimal | int) -> tuple[int, int]:
    """(integer digits, fraction digits) of the value, ignoring leading and trailing zeros as XSD does."""
    try:
        _, digits, exponent = Decimal(number).as_tuple()
    except InvalidOperation:  # pragma: no cover - finite values only reach here
        return 0, 0
    digits = list(digits)
    while exponent < 0 and digits and digits[-1] == 0:
        digits.pop()
        exponent += 1
    fraction = max(0, -exponent)
    significant = "".join(map(str, digits)).lstrip("0")
    whole = max(0, len(significant) - fraction) if exponent < 0 else len(significant) + exponent * bool(significant)
    return whole, fraction


def _real_date(text: str) -> bool:
    try:
        date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        return False
    return True


def _enum_message(text: str, allowed: tuple[str, ...] | list[str]) -> str:
    near = [a for a in allowed if a.lower() == text.lower()]
    if near:
        return f"{show(text)} is not an allowed value; did you mean '{near[0]}'? (values are case-sensitive)"
    listed = ", ".join(allowed[:ENUM_SHOWN])
    more = f", ... ({len(allowed)} values in all)" if len(allowed) > ENUM_SHOWN else ""
    return f"{show(text)} is not an allowed value; use one of: {listed}{more}"
