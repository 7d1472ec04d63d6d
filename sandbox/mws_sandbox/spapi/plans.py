"""The sandbox's own usage-plan table: rate (requests per second) and burst per SP-API operation.

Copied by hand from the "Usage Plan" table in each operation's description in Amazon's models
(../shared/sp-api/models); tests/sandbox/spapi/test_usage_plans.py reads the models and checks
every row. The rate goes out as ``x-amzn-RateLimit-Limit``; ``quota`` enforces rate and burst.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UsagePlan:
    rate: float
    burst: int
    model: str

    @property
    def header(self) -> str:
        """``x-amzn-RateLimit-Limit`` as Amazon writes it: the rate, no trailing zeros."""
        return f"{self.rate:g}"


USAGE_PLANS: dict[str, UsagePlan] = {
    "getMarketplaceParticipations": UsagePlan(0.016, 15, "sellers.json"),
    "searchOrders": UsagePlan(0.0056, 20, "orders_2026-01-01.json"),
    "getOrder": UsagePlan(0.5, 30, "orders_2026-01-01.json"),
    "confirmShipment": UsagePlan(2.0, 10, "ordersV0.json"),
    "listFinancialEvents": UsagePlan(0.5, 30, "financesV0.json"),
    "createRestrictedDataToken": UsagePlan(1.0, 10, "tokens_2021-03-01.json"),
    "createFeedDocument": UsagePlan(0.5, 15, "feeds_2021-06-30.json"),
    "getFeedDocument": UsagePlan(0.0222, 10, "feeds_2021-06-30.json"),
    "createFeed": UsagePlan(0.0083, 15, "feeds_2021-06-30.json"),
    "getFeeds": UsagePlan(0.0222, 10, "feeds_2021-06-30.json"),
    "getFeed": UsagePlan(2.0, 15, "feeds_2021-06-30.json"),
    "cancelFeed": UsagePlan(2.0, 15, "feeds_2021-06-30.json"),
    "putListingsItem": UsagePlan(5.0, 10, "listingsItems_2021-08-01.json"),
    "patchListingsItem": UsagePlan(5.0, 5, "listingsItems_2021-08-01.json"),
    "deleteListingsItem": UsagePlan(5.0, 5, "listingsItems_2021-08-01.json"),
    "getListingsItem": UsagePlan(5.0, 10, "listingsItems_2021-08-01.json"),
    "searchDefinitionsProductTypes": UsagePlan(5.0, 10, "definitionsProductTypes_2020-09-01.json"),
    "getDefinitionsProductType": UsagePlan(5.0, 10, "definitionsProductTypes_2020-09-01.json"),
    "createReport": UsagePlan(0.0167, 15, "reports_2021-06-30.json"),
    "getReport": UsagePlan(2.0, 15, "reports_2021-06-30.json"),
    "getReportDocument": UsagePlan(0.0167, 15, "reports_2021-06-30.json"),
}
