"""The SP-API -> MWS value tables: every SP-API status and channel maps to a value our schema allows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mws_component.lib.spapi.convert import (
    CHANNEL_FILTER,
    SERVICE_LEVELS,
    STATUS_FILTER,
    camel,
    item_json,
    money,
    order_json,
)

from .conftest import load_model

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
ORDER = json.loads((SCHEMAS / "list_orders.out.json").read_text())["properties"]
ITEM = json.loads((SCHEMAS / "list_order_items.out.json").read_text())["properties"]["orderItems"]["items"]["properties"]


@pytest.mark.parametrize(("theirs", "ours"), [
    ("PENDING_AVAILABILITY", "PendingAvailability"), ("PENDING", "Pending"), ("UNSHIPPED", "Unshipped"),
    ("PARTIALLY_SHIPPED", "PartiallyShipped"), ("SHIPPED", "Shipped"), ("CANCELLED", "Canceled"),
    ("UNFULFILLABLE", "Unfulfillable"),
])
def test_statuses(theirs, ours):
    converted = order_json({"orderId": "1", "fulfillment": {"fulfillmentStatus": theirs}})
    assert converted["orderStatus"] == ours and ours in ORDER["orderStatus"]["enum"]
    assert STATUS_FILTER[ours] == theirs


def test_every_model_status_is_mapped(models_dir):
    model = load_model(models_dir, "orders_2026-01-01.json")
    assert set(model["definitions"]["FulfillmentStatus"]["enum"]) == set(STATUS_FILTER.values())
    assert "InvoiceUnconfirmed" not in STATUS_FILTER  # no SP-API counterpart (documented)


def test_channels_and_service_levels():
    assert order_json({"fulfillment": {"fulfilledBy": "AMAZON"}})["fulfillmentChannel"] == "AFN"
    assert order_json({"fulfillment": {"fulfilledBy": "MERCHANT"}})["fulfillmentChannel"] == "MFN"
    assert CHANNEL_FILTER == {"AFN": "AMAZON", "MFN": "MERCHANT"}
    assert set(SERVICE_LEVELS.values()) == set(ORDER["shipmentServiceLevelCategory"]["enum"])
    assert "shipmentServiceLevelCategory" not in order_json({"fulfillment": {"fulfillmentServiceLevel": "PRIORITY"}})


def test_programs_replacement_pickup_and_non_amazon_channel():
    out = order_json({"programs": ["PREORDER", "PREMIUM"], "salesChannel": {"channelName": "NON_AMAZON"},
                      "associatedOrders": [{"orderId": "9", "associationType": "REPLACEMENT_ORIGINAL_ID"}],
                      "recipient": {"deliveryAddress": {"addressType": "PICKUP_POINT", "city": "X",
                                                        "districtOrCounty": "Y", "addressLine3": ""}}})
    assert (out["orderType"], out["isPremiumOrder"], out["isPrime"]) == ("Preorder", True, False)
    assert (out["replacedOrderId"], out["isReplacementOrder"], out["salesChannel"]) == ("9", True, "Non-Amazon")
    assert out["isAccessPointOrder"] is True and out["shippingAddress"] == {"city": "X", "county": "Y"}


def test_item_tax_discount_and_fallback_price():
    item = item_json({"orderItemId": "1", "quantityOrdered": 3, "product": {
        "asin": "B0", "price": {"unitPrice": {"amount": "1.10", "currencyCode": "EUR"},
                                "priceDesignation": "BUSINESS_PRICE"},
        "condition": {"conditionType": "USED", "conditionSubtype": "VERY_GOOD"}},
        "proceeds": {"breakdowns": [
            {"type": "TAX", "subtotal": {"amount": "4", "currencyCode": "EUR"}, "detailedBreakdowns": [
                {"subtype": "ITEM", "value": {"amount": "3", "currencyCode": "EUR"}},
                {"subtype": "SHIPPING", "value": {"amount": "1", "currencyCode": "EUR"}}]},
            {"type": "DISCOUNT", "subtotal": {"amount": "-2.00", "currencyCode": "EUR"}}]},
        "fulfillment": {"packing": {"serialNumberRequirement": {"requirementType": "REQUIRED"}}}})
    assert item["itemPrice"] == {"currencyCode": "EUR", "amount": "3.30"}  # exact decimal, no float
    assert item["itemTax"]["amount"] == "3" and item["shippingTax"]["amount"] == "1"
    assert item["promotionDiscount"] == {"currencyCode": "EUR", "amount": "2.00"}
    assert (item["conditionId"], item["conditionSubtypeId"]) == ("Used", "VeryGood")
    assert item["priceDesignation"] == "BusinessPrice" and item["serialNumberRequired"] is True
    assert set(item) <= set(ITEM)


def test_money_keeps_exact_text():
    assert money({"amount": 19.99, "currencyCode": "USD"}) == {"currencyCode": "USD", "amount": "19.99"}
    assert money(None) is None and camel("OEM") == "OEM" and camel("REFURBISHED_WARRANTY") == "RefurbishedWarranty"
