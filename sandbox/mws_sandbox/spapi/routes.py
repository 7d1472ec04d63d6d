"""The SP-API routing table: (HTTP method, path template) -> (operationId, handler).

Paths are the models' own (feeds, listings items and product type definitions included) (``/orders/2026-01-01/orders/{orderId}``); SP-API's lower-case roots
never collide with MWS's section paths (``/Orders/2013-09-01``). Each operationId has a row in
``plans.USAGE_PLANS``. ``serves`` tells the app which requests are SP-API's (or LWA's, or the
presigned document and schema URLs under ``/sp-api-files/``, which ``files`` answers without auth).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import (
    handlers,
    handlers_definitions,
    handlers_feeds,
    handlers_finances,
    handlers_listings,
    handlers_reports,
    handlers_shipments,
)
from .call import SpHandler
from .errors import NotFound

LWA_PATH = "/auth/o2/token"
ROOTS = ("/sellers/", "/orders/", "/tokens/", "/feeds/", "/listings/", "/definitions/", "/sp-api-files/",
         "/finances/", "/reports/")
FEEDS = "/feeds/2021-06-30"
ITEM = "/listings/2021-08-01/items/{sellerId}/{sku}"
PRODUCT_TYPES = "/definitions/2020-09-01/productTypes"
REPORTS = "/reports/2021-06-30"


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
    Route("POST", REPORTS + "/reports", "createReport", handlers_reports.create_report),
    Route("GET", REPORTS + "/reports/{reportId}", "getReport", handlers_reports.get_report),
    Route("GET", REPORTS + "/documents/{reportDocumentId}", "getReportDocument",
          handlers_reports.get_report_document),
    Route("GET", "/sellers/v1/marketplaceParticipations", "getMarketplaceParticipations",
          handlers.get_marketplace_participations),
    Route("GET", "/orders/2026-01-01/orders", "searchOrders", handlers.search_orders),
    Route("GET", "/orders/2026-01-01/orders/{orderId}", "getOrder", handlers.get_order),
    Route("POST", "/orders/v0/orders/{orderId}/shipmentConfirmation", "confirmShipment",
          handlers_shipments.confirm_shipment_handler),
    Route("GET", "/finances/v0/financialEvents", "listFinancialEvents", handlers_finances.list_financial_events),
    Route("POST", "/tokens/2021-03-01/restrictedDataToken", "createRestrictedDataToken",
          handlers.create_restricted_data_token),
    Route("POST", FEEDS + "/documents", "createFeedDocument", handlers_feeds.create_feed_document),
    Route("GET", FEEDS + "/documents/{feedDocumentId}", "getFeedDocument", handlers_feeds.get_feed_document),
    Route("POST", FEEDS + "/feeds", "createFeed", handlers_feeds.create_feed),
    Route("GET", FEEDS + "/feeds", "getFeeds", handlers_feeds.get_feeds),
    Route("GET", FEEDS + "/feeds/{feedId}", "getFeed", handlers_feeds.get_feed),
    Route("DELETE", FEEDS + "/feeds/{feedId}", "cancelFeed", handlers_feeds.cancel_feed),
    Route("PUT", ITEM, "putListingsItem", handlers_listings.put_listings_item),
    Route("PATCH", ITEM, "patchListingsItem", handlers_listings.patch_listings_item),
    Route("DELETE", ITEM, "deleteListingsItem", handlers_listings.delete_listings_item),
    Route("GET", ITEM, "getListingsItem", handlers_listings.get_listings_item),
    Route("GET", PRODUCT_TYPES, "searchDefinitionsProductTypes", handlers_definitions.search_definitions_product_types),
    Route("GET", PRODUCT_TYPES + "/{productType}", "getDefinitionsProductType",
          handlers_definitions.get_definitions_product_type),
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
