"""Amazon's clock, as learned from its responses.

Requests must carry a Timestamp within 15 minutes of Amazon's clock, and the "2 minutes before
now" rules of ListOrders are measured by Amazon's clock, not ours. Sellers' machines drift; the
sandbox runs its own clock. So the client keeps an offset learned from ``x-mws-timestamp`` (ms
precision) or, failing that, ``Date`` (second precision, trusted only when clearly off).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

from .clock import Clock, utc

DATE_HEADER_TOLERANCE = 2.0  # seconds: Date has whole seconds, so smaller offsets are noise


_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))", re.ASCII)


def parse_iso(value: str) -> datetime:
    """Parse an Amazon timestamp as Amazon writes it, quirks included.

    Accepts ``Z`` or an offset (``+00:00``, ``+0000``), any number of fraction digits, and the
    percent-encoded form Amazon's own ListOrders samples echo (``18%3A10%3A21.687Z``). Raises
    ``ValueError`` for anything else, including a time without a zone: guessing one would shift a cursor.
    """
    text = unquote(str(value)).strip()
    match = _ISO.fullmatch(text)
    if not match:
        raise ValueError(f"timestamp {text!r} is not ISO 8601 with a time zone")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    zone = timezone.utc
    if not zulu:
        delta = timedelta(hours=int(off_h), minutes=int(off_m))
        zone = timezone(-delta if sign == "-" else delta)
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micros,
                    tzinfo=zone)


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
    """Local clock plus the offset to Amazon's, and when that offset was last confirmed."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.offset = 0.0
        self.observed_at: float | None = None  # local time of the last answer that carried Amazon's time

    def now(self) -> float:
        return self.clock.now() + self.offset

    def now_utc(self) -> datetime:
        return utc(self.now())

    def fresh(self, max_age: float) -> bool:
        """Whether Amazon's time was seen within ``max_age`` seconds: before that, ``now`` is a guess."""
        return self.observed_at is not None and self.clock.now() - self.observed_at <= max_age

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the offset from a response received just now."""
        seen = header_time(headers)
        if seen is None:
            return
        epoch, precise = seen
        local = self.clock.now()
        offset = epoch - local
        if precise or self.observed_at is None or abs(offset - self.offset) > DATE_HEADER_TOLERANCE:
            self.offset = offset
        self.observed_at = local
