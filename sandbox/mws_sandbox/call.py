"""What a handler gets (``Call``) and gives back (``Answer``), so handlers stay a few lines each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models.accounts import Seller
from .models.backend import Backend
from .operations import Operation
from .params import Params
from .tokens import TokenStore
from .wire import WireRequest


@dataclass(frozen=True)
class Call:
    op: Operation
    params: Params
    wire: WireRequest
    seller: Seller
    backend: Backend
    tokens: TokenStore
    now: float
    request_id: str

    @property
    def action(self) -> str:
        return self.op.action

    @property
    def namespace(self) -> str:
        return self.op.section.namespace

    @property
    def seller_id(self) -> str:
        return self.seller.seller_id


@dataclass(frozen=True)
class Answer:
    body: bytes
    content_type: str = "text/xml"
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Call], Answer]
