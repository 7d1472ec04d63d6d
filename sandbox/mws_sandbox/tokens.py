"""NextTokens: opaque, long, base64 with ``+ / =`` like Amazon's, bound to a seller and an operation.

The token is only a key; the cursor it names (snapshot, offset, bound) stays on the server. A
token that is unknown, garbled, another seller's or meant for another operation is
NextTokenCorrupted, and the documented fix is to restart the original List call.
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass
from typing import Any

from .errors import NextTokenCorrupted

TOKEN_BYTES = 334  # -> 448 base64 characters ending in "=="


@dataclass(frozen=True)
class Cursor:
    seller_id: str
    kind: str
    state: Any


class TokenStore:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cursors: dict[str, Cursor] = {}

    def _new_token(self) -> str:
        while True:
            raw = bytes(self.rng.getrandbits(8) for _ in range(TOKEN_BYTES))
            token = base64.b64encode(raw).decode("ascii")
            if "+" in token and "/" in token and token not in self._cursors:
                return token

    def issue(self, seller_id: str, kind: str, state: Any) -> str:
        token = self._new_token()
        self._cursors[token] = Cursor(seller_id, kind, state)
        return token

    def redeem(self, token: str | None, seller_id: str, kind: str) -> Any:
        cursor = self._cursors.get(token or "")
        if cursor is None or cursor.seller_id != seller_id or cursor.kind != kind:
            raise NextTokenCorrupted()
        return cursor.state

    def clear(self) -> None:
        self._cursors.clear()
