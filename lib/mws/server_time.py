"""Amazon's clock, as learned from its responses.

Requests must carry a Timestamp within 15 minutes of Amazon's clock, and the "2 minutes before
now" rules of ListOrders are measured by Amazon's clock, not ours. Sellers' machines drift; the
sandbox runs its own clock. So the client keeps an offset learned from ``x-mws-timestamp`` (ms
precision) or, failing that, ``Date`` (second precision, trusted only when clearly off).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime

from .clock import Clock, utc

DATE_HEADER_TOLERANCE = 2.0  # seconds: Date has whole seconds, so smaller offsets are noise


def parse_iso(value: str) -> datetime:
    """Parse Amazon's ISO 8601 timestamps (``Z``, ``+00:00``, with or without milliseconds)."""
    value = value.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    return moment


def header_time(headers: Mapping[str, str]) -> tuple[float, bool] | None:
    """``(epoch, precise)`` from a response's headers, or None when it carries no usable time."""
    stamp = headers.get("x-mws-timestamp")
    if stamp:
        try:
            return parse_iso(stamp).timestamp(), True
        except ValueError:
            pass
    date = headers.get("date")
    if date:
        try:
            return parsedate_to_datetime(date).timestamp(), False
        except (TypeError, ValueError):
            pass
    return None


class ServerTime:
    """Local clock plus the offset to Amazon's."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.offset = 0.0

    def now(self) -> float:
        return self.clock.now() + self.offset

    def now_utc(self) -> datetime:
        return utc(self.now())

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the offset from a response received just now."""
        seen = header_time(headers)
        if seen is None:
            return
        epoch, precise = seen
        offset = epoch - self.clock.now()
        if precise or abs(offset - self.offset) > DATE_HEADER_TOLERANCE:
            self.offset = offset
