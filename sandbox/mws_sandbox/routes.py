"""The one routing table: (section path, Action) -> (operation name, handler).

The operation name keys the sandbox's own ``operations.OPERATIONS`` (quota group, section
namespace), written from Amazon's documentation; the client keeps its own table, and
tests/sandbox/test_oracle_agreement.py checks that the two agree. Feeds may also be posted to ``/`` (the
official PHP library and boto do that; mws.md §1.2). Anything else is InvalidAddress.
"""

from __future__ import annotations

from dataclasses import dataclass

from .call import Handler
from .errors import InvalidAddress, InvalidParameterValue
from .handlers import feeds, finances, orders, reports, sellers
from .operations import OPERATIONS, SECTIONS, Operation

SELLERS, ORDERS, FEEDS = "/Sellers/2011-07-01", "/Orders/2013-09-01", "/Feeds/2009-01-01"
FINANCES = "/Finances/2015-05-01"
REPORTS = "/Reports/2009-01-01"
ROOT_SECTIONS = (FEEDS,)


@dataclass(frozen=True)
class Route:
    operation: str
    handler: Handler

    @property
    def op(self) -> Operation:
        return OPERATIONS[self.operation]


ROUTES: dict[tuple[str, str], Route] = {
    (SELLERS, "ListMarketplaceParticipations"): Route("ListMarketplaceParticipations", sellers.list_participations),
    (SELLERS, "ListMarketplaceParticipationsByNextToken"):
        Route("ListMarketplaceParticipationsByNextToken", sellers.list_participations_by_next_token),
    (SELLERS, "GetServiceStatus"): Route("SellersGetServiceStatus", sellers.service_status),
    (ORDERS, "ListOrders"): Route("ListOrders", orders.list_orders),
    (ORDERS, "ListOrdersByNextToken"): Route("ListOrdersByNextToken", orders.list_orders_by_next_token),
    (ORDERS, "GetOrder"): Route("GetOrder", orders.get_order),
    (ORDERS, "ListOrderItems"): Route("ListOrderItems", orders.list_order_items),
    (ORDERS, "ListOrderItemsByNextToken"): Route("ListOrderItemsByNextToken", orders.list_order_items_by_next_token),
    (ORDERS, "GetServiceStatus"): Route("GetServiceStatus", sellers.service_status),
    (FEEDS, "SubmitFeed"): Route("SubmitFeed", feeds.submit_feed),
    (FEEDS, "GetFeedSubmissionList"): Route("GetFeedSubmissionList", feeds.get_list),
    (FEEDS, "GetFeedSubmissionListByNextToken"):
        Route("GetFeedSubmissionListByNextToken", feeds.get_list_by_next_token),
    (FEEDS, "GetFeedSubmissionCount"): Route("GetFeedSubmissionCount", feeds.get_count),
    (FEEDS, "CancelFeedSubmissions"): Route("CancelFeedSubmissions", feeds.cancel),
    (FEEDS, "GetFeedSubmissionResult"): Route("GetFeedSubmissionResult", feeds.get_result),
    (FINANCES, "ListFinancialEvents"): Route("ListFinancialEvents", finances.list_financial_events),
    (FINANCES, "ListFinancialEventsByNextToken"):
        Route("ListFinancialEventsByNextToken", finances.list_financial_events_by_next_token),
    (REPORTS, "RequestReport"): Route("RequestReport", reports.request_report),
    (REPORTS, "GetReportRequestList"): Route("GetReportRequestList", reports.get_report_request_list),
    (REPORTS, "GetReport"): Route("GetReport", reports.get_report),
}


def _section_path(path: str) -> str:
    return path.rstrip("/") or "/"


def namespace_for(path: str) -> str | None:
    """The section namespace errors are rendered in, when the path names a section."""
    path = _section_path(path)
    for section in SECTIONS.values():
        if section.path == path or (path == "/" and section.path in ROOT_SECTIONS):
            return section.namespace
    return None


def resolve(path: str, action: str | None) -> Route:
    if not action:
        raise InvalidParameterValue("Either Action or Operation query parameter must be present.")
    path = _section_path(path)
    candidates = [(p, action) for p in ROOT_SECTIONS] if path == "/" else [(path, action)]
    for key in candidates:
        if key in ROUTES:
            return ROUTES[key]
    raise InvalidAddress(f"An invalid API section or operation value was used, or an invalid path was used: "
                         f"{action} on {path}.")


def check_version(route: Route, version: str | None) -> None:
    expected = route.op.section.version
    if version != expected:
        raise InvalidParameterValue(f"Version {version} is not valid for {route.op.section.name}; "
                                    f"use Version={expected}.")
