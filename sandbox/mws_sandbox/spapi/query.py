"""Reading SP-API query parameters as the models type them, with InvalidInput naming the fix.

Arrays come either comma-separated (OpenAPI 2.0's default ``csv``, what Amazon's generated
clients send) or as repeated names; both are read. Dates are ISO 8601 (``timefmt.parse_iso``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from ..timefmt import parse_iso
from .errors import InvalidInput


@dataclass(frozen=True)
class Query:
    values: dict[str, list[str]]

    @classmethod
    def parse(cls, raw_query: str) -> Query:
        values: dict[str, list[str]] = {}
        for name, value in parse_qsl(raw_query, keep_blank_values=True):
            values.setdefault(name, []).append(value)
        return cls(values)

    def one(self, name: str) -> str | None:
        found = [v for v in self.values.get(name, []) if v != ""]
        if len(found) > 1:
            raise InvalidInput(f"{name} was given more than once; send it once.")
        return found[0] if found else None

    def many(self, name: str, allowed: Sequence[str] | None = None, max_items: int | None = None) -> tuple[str, ...]:
        items = tuple(p.strip() for v in self.values.get(name, []) for p in v.split(",") if p.strip())
        for item in items:
            if allowed is not None and item not in allowed:
                raise InvalidInput(f"{item} is not a valid value for {name}; use one of {', '.join(allowed)}.")
        if max_items is not None and len(items) > max_items:
            raise InvalidInput(f"{name} takes at most {max_items} values, got {len(items)}.")
        return items

    def date(self, name: str) -> float | None:
        value = self.one(name)
        if value is None:
            return None
        moment = parse_iso(value)
        if moment is None:
            raise InvalidInput(f"{name} {value} is not an ISO 8601 date-time, e.g. 2025-01-01T00:00:00Z.")
        return moment

    def integer(self, name: str, low: int, high: int, default: int) -> int:
        value = self.one(name)
        if value is None:
            return default
        if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
            raise InvalidInput(f"{name} must be a whole number from {low} to {high}, got {value}.")
        return int(value)
