"""The sandbox's own table of MWS sections, operations and throttle quotas, from Amazon's documentation.

Written from /work/shared/reference/mws.md, not from the client's ``operations.json``, so that a
wrong entry on either side shows up as a disagreement (tests/sandbox/test_oracle_agreement.py)
instead of being copied. Sources: versions and paths §1.1, §1.2; Orders quotas §3.1; Feeds quotas
and hourly quotas §4.1; Sellers quotas §5; which sections send ``x-mws-quota-*`` headers §6.3
("Products, Reports, and Feeds"; not Orders or Sellers); namespaces §3.3, §4, §5.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    path: str
    version: str
    namespace: str
    hourly_headers: bool  # sends x-mws-quota-max/-remaining/-resetsOn (mws.md §6.3)


@dataclass(frozen=True)
class Quota:
    """One throttle group: ``burst`` requests, one more every ``restore_seconds``, ``hourly`` per hour."""

    group: str
    burst: int
    restore_seconds: float
    hourly: int | None = None


@dataclass(frozen=True)
class Operation:
    name: str
    action: str
    section: Section
    quota: Quota


SECTIONS = {s.name: s for s in (
    Section("Sellers", "/Sellers/2011-07-01", "2011-07-01", "https://mws.amazonservices.com/Sellers/2011-07-01",
            hourly_headers=False),
    Section("Orders", "/Orders/2013-09-01", "2013-09-01", "https://mws.amazonservices.com/Orders/2013-09-01",
            hourly_headers=False),
    Section("Feeds", "/Feeds/2009-01-01", "2009-01-01", "http://mws.amazonaws.com/doc/2009-01-01/",
            hourly_headers=True),
    Section("Finances", "/Finances/2015-05-01", "2015-05-01", "http://mws.amazonservices.com/Finances/2015-05-01",
            hourly_headers=False),
    Section("Reports", "/Reports/2009-01-01", "2009-01-01", "http://mws.amazonaws.com/doc/2009-01-01/",
            hourly_headers=True),
)}

QUOTAS = {q.group: q for q in (
    # Sellers, mws.md §5: ListMarketplaceParticipations(+ByNextToken) 15, 1/min; GetServiceStatus 2, 1 per 5 min.
    Quota("ListMarketplaceParticipations", 15, 60.0),
    Quota("SellersGetServiceStatus", 2, 300.0),
    # Orders, mws.md §3.1: no hourly quota documented.
    Quota("ListOrders", 6, 60.0),
    Quota("GetOrder", 6, 60.0),
    Quota("ListOrderItems", 30, 2.0),
    Quota("OrdersGetServiceStatus", 2, 300.0),
    # Feeds, mws.md §4.1: burst, restore, hourly.
    Quota("SubmitFeed", 15, 120.0, 30),
    Quota("GetFeedSubmissionList", 10, 45.0, 80),
    Quota("GetFeedSubmissionListByNextToken", 30, 2.0, 1800),
    Quota("GetFeedSubmissionCount", 10, 45.0, 80),
    Quota("CancelFeedSubmissions", 10, 45.0, 80),
    Quota("GetFeedSubmissionResult", 15, 60.0, 60),
    # Finances (Amazon's ListFinancialEvents page): 30, one every 2 s, shared with ByNextToken; no
    # x-mws-quota-* headers (mws.md §6.3 names only Products, Reports and Feeds).
    Quota("ListFinancialEvents", 30, 2.0),
    # Reports, mws.md §4.1 (boto's table): RequestReport 15, 1/min; GetReportRequestList 10, 1 per 45 s;
    # GetReport 15, 1/min; hourly 60, 80, 60 as Amazon's Reports pages give them.
    Quota("RequestReport", 15, 60.0, 60),
    Quota("GetReportRequestList", 10, 45.0, 80),
    Quota("GetReport", 15, 60.0, 60),
)}

# name -> (section, Action, throttle group); operations that share a group share one bucket.
_OPERATIONS = {
    "ListMarketplaceParticipations": ("Sellers", "ListMarketplaceParticipations", "ListMarketplaceParticipations"),
    "ListMarketplaceParticipationsByNextToken":
        ("Sellers", "ListMarketplaceParticipationsByNextToken", "ListMarketplaceParticipations"),
    "SellersGetServiceStatus": ("Sellers", "GetServiceStatus", "SellersGetServiceStatus"),
    "ListOrders": ("Orders", "ListOrders", "ListOrders"),
    "ListOrdersByNextToken": ("Orders", "ListOrdersByNextToken", "ListOrders"),
    "GetOrder": ("Orders", "GetOrder", "GetOrder"),
    "ListOrderItems": ("Orders", "ListOrderItems", "ListOrderItems"),
    "ListOrderItemsByNextToken": ("Orders", "ListOrderItemsByNextToken", "ListOrderItems"),
    "GetServiceStatus": ("Orders", "GetServiceStatus", "OrdersGetServiceStatus"),
    "SubmitFeed": ("Feeds", "SubmitFeed", "SubmitFeed"),
    "GetFeedSubmissionList": ("Feeds", "GetFeedSubmissionList", "GetFeedSubmissionList"),
    "GetFeedSubmissionListByNextToken":
        ("Feeds", "GetFeedSubmissionListByNextToken", "GetFeedSubmissionListByNextToken"),
    "GetFeedSubmissionCount": ("Feeds", "GetFeedSubmissionCount", "GetFeedSubmissionCount"),
    "CancelFeedSubmissions": ("Feeds", "CancelFeedSubmissions", "CancelFeedSubmissions"),
    "GetFeedSubmissionResult": ("Feeds", "GetFeedSubmissionResult", "GetFeedSubmissionResult"),
    "ListFinancialEvents": ("Finances", "ListFinancialEvents", "ListFinancialEvents"),
    "ListFinancialEventsByNextToken": ("Finances", "ListFinancialEventsByNextToken", "ListFinancialEvents"),
    "RequestReport": ("Reports", "RequestReport", "RequestReport"),
    "GetReportRequestList": ("Reports", "GetReportRequestList", "GetReportRequestList"),
    "GetReport": ("Reports", "GetReport", "GetReport"),
}

OPERATIONS = {name: Operation(name, action, SECTIONS[section], QUOTAS[group])
              for name, (section, action, group) in _OPERATIONS.items()}
