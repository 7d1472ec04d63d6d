"""Sections, operations and throttle quotas, read from ``data/operations.json``.

Also the one serializer that turns friendly parameters (lists, booleans, datetimes) into MWS's
flat ``Name.Member.N`` form, driven by each operation's ``listParams``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from .errors import ConfigurationError

_DATA = Path(__file__).with_name("data") / "operations.json"


@dataclass(frozen=True)
class Section:
    name: str
    path: str
    version: str
    seller_param: str
    namespace: str
    hourly_headers: bool


@dataclass(frozen=True)
class Quota:
    """Amazon's leaky bucket for one throttle group: ``burst`` requests, one more every ``restore_seconds``."""

    group: str
    burst: int
    restore_seconds: float
    hourly: int | None = None


@dataclass(frozen=True)
class Operation:
    name: str
    action: str
    section: Section
    quota: Quota
    next: str | None = None
    more: str | None = None
    list_params: Mapping[str, str] = field(default_factory=dict)
    feed_body: bool = False
    raw_body: bool = False
    retry_safe: bool = True

    @property
    def result_key(self) -> str:
        return f"{self.action}Result"


@cache
def _table() -> dict:
    return json.loads(_DATA.read_text(encoding="utf-8"))


@cache
def sections() -> dict[str, Section]:
    return {
        name: Section(name, s["path"], s["version"], s["sellerParam"], s["namespace"], s["hourlyHeaders"])
        for name, s in _table()["sections"].items()
    }


@cache
def quotas() -> dict[str, Quota]:
    return {
        name: Quota(name, q["burst"], float(q["restoreSeconds"]), q.get("hourly"))
        for name, q in _table()["throttleGroups"].items()
    }


@cache
def operations() -> dict[str, Operation]:
    ops = {}
    for name, o in _table()["operations"].items():
        ops[name] = Operation(
            name=name,
            action=o.get("action", name),
            section=sections()[o["section"]],
            quota=quotas()[o["throttle"]],
            next=o.get("next"),
            more=o.get("more"),
            list_params=o.get("listParams", {}),
            feed_body=o.get("feedBody", False),
            raw_body=o.get("rawBody", False),
            retry_safe=o.get("retrySafe", True),
        )
    return ops


def operation(name: str) -> Operation:
    try:
        return operations()[name]
    except KeyError:
        raise ConfigurationError(f"unknown MWS operation {name!r}; known: {', '.join(operations())}") from None


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with ``Z`` (Amazon rejects ``+0000``); whole seconds unless there are micros."""
    if moment.tzinfo is None:
        raise ConfigurationError("naive datetimes are ambiguous; pass an aware UTC datetime")
    moment = moment.astimezone(timezone.utc)
    text = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return format_timestamp(value)
    return str(value)


def serialize(op: Operation, params: Mapping[str, object]) -> dict[str, str]:
    """Flatten ``params``: lists become ``Name.Member.1..N``; ``None`` values are dropped."""
    flat: dict[str, str] = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            member = op.list_params.get(name)
            if member is None:
                raise ConfigurationError(f"{op.name} does not take a list for {name!r}", field=name)
            for i, item in enumerate(value, start=1):
                flat[f"{name}.{member}.{i}"] = _scalar(item)
        else:
            flat[name] = _scalar(value)
    return flat
