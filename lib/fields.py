"""Reading step fields from ``cfg`` and message bodies: each problem names the field and the fix.

Everything here runs before any request, so bad input never half-submits anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from lib.mws.errors import ConfigurationError
from lib.mws.regions import marketplaces

ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")


def as_items(value: Any, field: str) -> list:
    """A field that accepts one value, a list, or a comma-separated string."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    raise ConfigurationError(f"field '{field}' must be a list or a comma-separated string", field=field)


def integer(cfg: Mapping[str, Any], field: str, default: int, low: int, high: int) -> int:
    raw = cfg.get(field)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ConfigurationError(f"field '{field}' must be a whole number from {low} to {high}, got {raw!r}",
                                 field=field) from None
    if not low <= value <= high:
        raise ConfigurationError(f"field '{field}' must be from {low} to {high}, got {value}", field=field)
    return value


def timestamp(raw: Any, field: str) -> datetime:
    """ISO 8601 (``2024-01-31``, ``2024-01-31T10:00:00Z``, ``...+02:00``); no zone means UTC."""
    text = str(raw).strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ConfigurationError(
            f"field '{field}' must be an ISO 8601 date or time such as 2024-01-31T00:00:00Z, got {text!r}",
            field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def marketplace_ids(values: list[str], field: str) -> list[str]:
    unknown = [v for v in values if v not in marketplaces()]
    if unknown:
        raise ConfigurationError(
            f"field '{field}' has unknown marketplace id(s) {', '.join(unknown)}; valid ids: "
            + ", ".join(f"{m.id} ({m.country})" for m in marketplaces().values()), field=field)
    return values


def order_id(body: Mapping[str, Any], field: str = "amazonOrderId") -> str:
    raw = body.get(field) if isinstance(body, Mapping) else None
    if raw in (None, ""):
        raise ConfigurationError(f"input field '{field}' is required: map the Amazon order id, "
                                 "e.g. 058-1233752-8214740", field=field)
    value = str(raw).strip()
    if not ORDER_ID.fullmatch(value):
        raise ConfigurationError(f"input field '{field}' must be an Amazon order id of the form "
                                 f"3-7-7 digits like 058-1233752-8214740, got {value!r}", field=field)
    return value
