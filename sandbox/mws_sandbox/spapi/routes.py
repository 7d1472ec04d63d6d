"""The SP-API routing table: (HTTP method, path template) -> (operationId, handler).

Paths are the models' own (``/orders/2026-01-01/orders/{orderId}``); SP-API's lower-case roots
never collide with MWS's section paths (``/Orders/2013-09-01``). Each operationId has a row in
``plans.USAGE_PLANS``. ``serves`` tells the app which requests are SP-API's (or LWA's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import handlers
from .call import SpHandler
from .errors import NotFound

LWA_PATH = "/auth/o2/token"
ROOTS = ("/sellers/", "/orders/", "/tokens/")


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    operation: str
    handler: SpHandler

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.template) + "/?$")


ROUTES = (
    Route("GET", "/sellers/v1/marketplaceParticipations", "getMarketplaceParticipations",
          handlers.get_marketplace_participations),
    Route("GET", "/orders/2026-01-01/orders", "searchOrders", handlers.search_orders),
    Route("GET", "/orders/2026-01-01/orders/{orderId}", "getOrder", handlers.get_order),
    Route("POST", "/tokens/2021-03-01/restrictedDataToken", "createRestrictedDataToken",
          handlers.create_restricted_data_token),
)


def serves(path: str) -> bool:
    return path == LWA_PATH or path.startswith(ROOTS)


def resolve(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route and its path arguments; anything else is 404 NotFound naming what exists."""
    for route in ROUTES:
        match = route.pattern.match(path)
        if match and route.method == method:
            return route, match.groupdict()
    served = ", ".join(f"{r.method} {r.template}" for r in ROUTES)
    raise NotFound(f"No operation {method} {path} in the sandbox.", details=f"The sandbox serves {served}.")
