"""Dates as MWS writes and reads them, over epoch seconds (the sandbox keeps time as floats).

Amazon writes order dates as ``2015-01-06T07:59:59Z``, server-computed bounds and header times
with milliseconds (``...53.307Z``) and feed dates as ``2018-04-27T14:47:22+00:00``. It reads ISO
8601 with ``Z``, ``+hh:mm`` or no zone (UTC), but rejects ``+0000`` without a colon (mws.md §1.1,
§3.3, §4.2, §6.3).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?"
    r"(Z|[+-]\d{2}:\d{2})?$"
)


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc)


def iso_z(epoch: float) -> str:
    """Whole seconds with ``Z``: how order dates look."""
    return _utc(int(epoch)).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(epoch: float) -> str:
    """Milliseconds with ``Z``: server-computed bounds, ``x-mws-timestamp``, ``resetsOn``."""
    moment = _utc(epoch)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_offset(epoch: float) -> str:
    """Whole seconds with ``+00:00``: how feed submission dates look."""
    return _utc(int(epoch)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def parse_iso(text: str) -> float | None:
    """Epoch seconds for an ISO 8601 date or date-time, or None when Amazon would refuse it."""
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0), int((fraction or "0")[:6].ljust(6, "0")), tzinfo=timezone.utc)
    except ValueError:
        return None
    epoch = moment.timestamp()
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        epoch -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return epoch


def http_date(epoch: float) -> str:
    """RFC 1123 date for the ``Date`` header."""
    return _utc(epoch).strftime("%a, %d %b %Y %H:%M:%S GMT")


def quota_reset_text(epoch: float) -> str:
    """The Java-style date Amazon put into QuotaExceeded messages (``Fri Jul 17 23:38:00 UTC 2015``)."""
    return _utc(epoch).strftime("%a %b %d %H:%M:%S UTC %Y")
