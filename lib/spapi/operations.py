"""SP-API operations and their usage plans, read from ``data/operations.json``.

A usage plan (``rate`` requests per second, ``burst``) is Amazon's token bucket per seller, app and
operation; it becomes the MWS pacer's ``Quota`` (one token restored every ``1 / rate`` seconds), so
both APIs pace through the same buckets code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.mws.operations import Quota

_DATA = Path(__file__).with_name("data") / "operations.json"
GROUP_PREFIX = "sp-api:"


@dataclass(frozen=True)
class Operation:
    name: str
    method: str
    path: str
    rate: float
    burst: int
    query: tuple[str, ...] = ()
    arrays: frozenset[str] = frozenset()
    body: bool = False
    restricted: bool = False
    retry_safe: bool = True
    model: str = ""

    def quota(self, rate: float | None = None) -> Quota:
        """The pacing bucket at ``rate`` (the plan's, or the one Amazon announced in x-amzn-RateLimit-Limit)."""
        rate = rate or self.rate
        group = f"{GROUP_PREFIX}{self.name}" + ("" if rate == self.rate else f"@{rate:g}")
        return Quota(group, self.burst, 1.0 / rate)


def _operation(name: str, row: dict) -> Operation:
    return Operation(
        name=name, method=row["method"], path=row["path"], rate=float(row["rate"]), burst=int(row["burst"]),
        query=tuple(row.get("query", ())), arrays=frozenset(row.get("arrays", ())), body=bool(row.get("body")),
        restricted=bool(row.get("restricted")), retry_safe=row.get("retrySafe", row["method"] == "GET"),
        model=row.get("model", ""),
    )


@cache
def operations() -> dict[str, Operation]:
    table = json.loads(_DATA.read_text(encoding="utf-8"))
    return {name: _operation(name, row) for name, row in table.items() if not name.startswith("_")}


def operation(name: str) -> Operation:
    try:
        return operations()[name]
    except KeyError:
        raise ConfigurationError(f"unknown SP-API operation {name!r}; known: {', '.join(operations())}") from None
