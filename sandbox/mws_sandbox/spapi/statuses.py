"""The one mapping between the world's order vocabulary (MWS's) and SP-API's 2026-01-01 one.

MWS's InvoiceUnconfirmed (China: shipped, invoice not yet confirmed) has no SP-API counterpart;
every unit has shipped, so it is SHIPPED. AFN/MFN are fulfilledBy AMAZON/MERCHANT.
"""

from __future__ import annotations

FULFILLMENT_STATUS = {
    "PendingAvailability": "PENDING_AVAILABILITY", "Pending": "PENDING", "Unshipped": "UNSHIPPED",
    "PartiallyShipped": "PARTIALLY_SHIPPED", "Shipped": "SHIPPED", "InvoiceUnconfirmed": "SHIPPED",
    "Canceled": "CANCELLED", "Unfulfillable": "UNFULFILLABLE",
}
FULFILLMENT_STATUSES = ("PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED",
                        "UNFULFILLABLE")
FULFILLED_BY = {"AFN": "AMAZON", "MFN": "MERCHANT"}
SERVICE_LEVEL = {"Standard": "STANDARD", "Expedited": "EXPEDITED", "SecondDay": "SECOND_DAY",
                 "NextDay": "NEXT_DAY", "SameDay": "SAME_DAY", "Scheduled": "SCHEDULED",
                 "FreeEconomy": "FREE_ECONOMY", "Priority": "PRIORITY"}
INCLUDED_DATA = ("BUYER", "RECIPIENT", "PROCEEDS", "EXPENSE", "PROMOTION", "CANCELLATION", "FULFILLMENT",
                 "PACKAGES", "TAX", "PAYMENT", "FULFILLMENT_ORDERS")


def world_statuses(sp_statuses: tuple[str, ...]) -> tuple[str, ...]:
    """The world's statuses an SP-API fulfillmentStatuses filter selects."""
    return tuple(mws for mws, sp in FULFILLMENT_STATUS.items() if sp in sp_statuses)


def world_channels(fulfilled_by: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(mws for mws, sp in FULFILLED_BY.items() if sp in fulfilled_by)
