"""Reading operation parameters with Amazon's rules, raising its errors with a fix in the message.

Lists arrive flattened (``MarketplaceId.Id.1``, ``FeedTypeList.Type.2``), dates as ISO 8601
(MalformedInput otherwise, as Amazon answered), numbers within documented ranges
(InvalidParameterValue otherwise).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .errors import InvalidParameterValue, MalformedInput
from .timefmt import parse_iso


class Params:
    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if value not in (None, "") else None

    def has(self, name: str) -> bool:
        return self.get(name) is not None

    def required(self, name: str, hint: str = "") -> str:
        value = self.get(name)
        if value is None:
            raise InvalidParameterValue(f"Parameter {name} is required{'; ' + hint if hint else '.'}")
        return value

    def date(self, name: str) -> float | None:
        value = self.get(name)
        if value is None:
            return None
        moment = parse_iso(value)
        if moment is None:
            raise MalformedInput(f"{name}: timestamp must follow ISO8601 (got {value}); "
                                 "use e.g. 2017-02-01T18:12:21Z")
        return moment

    def integer(self, name: str, lower: int, upper: int, default: int) -> int:
        value = self.get(name)
        if value is None:
            return default
        if not re.fullmatch(r"\d{1,9}", value) or not lower <= int(value) <= upper:
            raise InvalidParameterValue(f"Value {value} for parameter {name} is invalid. It must be a whole "
                                        f"number from {lower} to {upper}.")
        return int(value)

    def boolean(self, name: str, default: bool) -> bool:
        value = self.get(name)
        if value is None:
            return default
        if value not in ("true", "false"):
            raise InvalidParameterValue(f"Value {value} for parameter {name} is invalid; use true or false.")
        return value == "true"

    def members(self, prefix: str, limit: int = 100) -> list[str]:
        """``prefix.1``, ``prefix.2``... in index order; more than ``limit`` is refused."""
        pattern = re.compile(re.escape(prefix) + r"\.(\d+)$")
        found = sorted((int(m.group(1)), v) for k, v in self.values.items() if (m := pattern.match(k)) and v)
        if len(found) > limit:
            raise InvalidParameterValue(f"{prefix} may hold at most {limit} values; {len(found)} were sent.")
        return [v for _, v in found]

    def choices(self, prefix: str, allowed: Iterable[str], limit: int = 100) -> list[str]:
        allowed = tuple(allowed)
        values = self.members(prefix, limit)
        for value in values:
            if value not in allowed:
                raise InvalidParameterValue(f"Value {value} for parameter {prefix} is invalid. "
                                            f"Valid values: {', '.join(allowed)}.")
        return values

    def starts_list(self, name: str) -> bool:
        """True when a scalar parameter was sent as a list (``AmazonOrderId.Id.1``)."""
        return any(k.startswith(name + ".") for k in self.values)
