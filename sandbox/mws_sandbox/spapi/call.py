"""What an SP-API handler gets (``SpCall``) and gives back (``SpAnswer``): handlers stay a few lines.

``feeds`` is the SP-API feed and document store; ``host`` is the Host the caller used, so the
presigned URLs it is handed point back at the same sandbox (loopback or in-process).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..models.accounts import Seller
from ..models.backend import Backend
from ..tokens import TokenStore
from .feedstore import FeedStore
from .identity import Grant, Identity
from .query import Query


@dataclass(frozen=True)
class SpCall:
    operation: str
    method: str
    path: str
    args: dict[str, str]
    query: Query
    body: bytes
    grant: Grant
    seller: Seller
    backend: Backend
    identity: Identity
    tokens: TokenStore
    now: float
    feeds: FeedStore | None = None
    host: str = "localhost"

    @property
    def seller_id(self) -> str:
        return self.seller.seller_id

    @property
    def data_elements(self) -> frozenset[str]:
        """PII kinds the caller's token unlocks for this very call (RDTs only)."""
        return self.grant.data_elements(self.method, self.path)


@dataclass(frozen=True)
class SpAnswer:
    body: dict
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


SpHandler = Callable[[SpCall], SpAnswer]
