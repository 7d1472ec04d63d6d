"""The request log: one entry per API call (MWS, SP-API, LWA), with secrets taken out before it is kept.

``Sandbox.respond`` calls ``start`` with the decoded request; ``Stats.record`` (which every call path
already reaches with the operation, status and error code) calls ``finish``. Parameters whose names
say signature, key, token or secret are replaced by ``[redacted]``, and headers are not kept at all
(``x-amz-access-token`` travels in one), so nothing in the log can sign or authorise a request.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .stats import THROTTLE_CODES
from .wire import WireRequest

REDACTED = "[redacted]"
SECRET_WORDS = ("signature", "token", "secret", "accesskey", "password")
SECRET_NAMES = frozenset({"client_id", "code", "assertion"})
LOG_SIZE = 5000


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_NAMES or any(word in lowered for word in SECRET_WORDS)


def redact(params: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """``params`` in order, the value of every secret-looking name replaced by ``[redacted]``."""
    return tuple((name, REDACTED if is_secret(name) else value) for name, value in params.items())


@dataclass(frozen=True)
class Entry:
    time: float
    method: str
    path: str
    params: tuple[tuple[str, str], ...]
    operation: str
    status: int
    code: str | None

    @property
    def throttled(self) -> bool:
        return self.code in THROTTLE_CODES or self.status == 429

    @property
    def failed(self) -> bool:
        return self.status >= 400 and not self.throttled


class RequestLog:
    """The last ``size`` calls, oldest first."""

    def __init__(self, size: int = LOG_SIZE) -> None:
        self._entries: deque[Entry] = deque(maxlen=size)
        self._pending: tuple[float, str, str, tuple[tuple[str, str], ...]] | None = None

    def start(self, now: float, wire: WireRequest) -> None:
        self._pending = (now, wire.method, wire.path, redact(wire.params))

    def finish(self, operation: str, status: int, code: str | None) -> None:
        if self._pending is not None:
            self._entries.append(Entry(*self._pending, operation, status, code))
            self._pending = None

    def entries(self) -> list[Entry]:
        return list(self._entries)
