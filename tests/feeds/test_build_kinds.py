"""Every non-product feed kind: built feeds pass Amazon's real XSDs, and the Feed record is right."""

from __future__ import annotations

import base64
import hashlib
import random

import pytest
from lxml import etree

from mws_component.lib.feeds import KINDS, FeedValidationError, build_feed, feed_kind
from mws_component.lib.feeds.rules import rules
from mws_component.lib.mws.errors import ConfigurationError

from .samples import branches, sample

SIMPLE_KINDS = ["inventory", "price", "image", "relationship", "override"]


def _cases():
    for kind in SIMPLE_KINDS:
        rule = rules().root(KINDS[kind].element)
        for full in (False, True):
            for branch in range(branches(rule)):
                yield pytest.param(kind, full, branch, id=f"{kind}-{'full' if full else 'required'}-{branch}")


@pytest.mark.parametrize(("kind", "full", "branch"), list(_cases()))
def test_every_field_and_branch_is_valid_against_the_xsd(kind, full, branch, assert_xsd_valid):
    item = sample(rules().root(KINDS[kind].element), full=full, branch=branch)
    feed = build_feed(kind, [item, item], merchant_id="A1EXAMPLE")
    assert_xsd_valid(feed.xml)
    assert feed.message_count == 2


@pytest.mark.parametrize("operation", ["Update", "Delete", "PartialUpdate"])
@pytest.mark.parametrize("kind", SIMPLE_KINDS)
def test_operation_types(kind, operation, assert_xsd_valid):
    item = sample(rules().root(KINDS[kind].element), full=False)
    feed = build_feed(kind, item, merchant_id="A1EXAMPLE", operation=operation)
    assert_xsd_valid(feed.xml)
    document = etree.fromstring(feed.xml)
    assert document.findtext("Message/OperationType") == operation
    assert feed.operation == operation


def test_upsert_is_taken_as_update():
    feed = build_feed("inventory", {"sku": "A", "quantity": 1}, merchant_id="M", operation="Upsert")
    assert b"<OperationType>Update</OperationType>" in feed.xml


def test_feed_record_describes_exactly_the_bytes():
    items = [{"sku": f"SKU-{i}", "quantity": i} for i in range(1, 6)]
    feed = build_feed("inventory", items, merchant_id="A1EXAMPLE")
    assert feed.feed_type == "_POST_INVENTORY_AVAILABILITY_DATA_"
    assert feed.message_type == "Inventory"
    assert feed.message_count == 5
    assert feed.skus == [f"SKU-{i}" for i in range(1, 6)]
    assert feed.content_md5 == base64.b64encode(hashlib.md5(feed.xml).digest()).decode()
    assert feed.xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    document = etree.fromstring(feed.xml)
    assert document.findtext("Header/MerchantIdentifier") == "A1EXAMPLE"
    assert document.findtext("Header/DocumentVersion") == "1.01"
    assert document.findtext("MessageType") == "Inventory"
    assert [m.findtext("MessageID") for m in document.findall("Message")] == ["1", "2", "3", "4", "5"]
    assert "<AmazonEnvelope" not in repr(feed) and "SKU-1" not in repr(feed)


@pytest.mark.parametrize(
    ("kind", "feed_type", "message_type"),
    [
        ("inventory", "_POST_INVENTORY_AVAILABILITY_DATA_", "Inventory"),
        ("price", "_POST_PRODUCT_PRICING_DATA_", "Price"),
        ("image", "_POST_PRODUCT_IMAGE_DATA_", "ProductImage"),
        ("relationship", "_POST_PRODUCT_RELATIONSHIP_DATA_", "Relationship"),
        ("product", "_POST_PRODUCT_DATA_", "Product"),
        ("override", "_POST_PRODUCT_OVERRIDES_DATA_", "Override"),
    ],
)
def test_kinds_map_to_feed_types(kind, feed_type, message_type):
    assert feed_kind(kind).feed_type == feed_type
    assert feed_kind(message_type).name == kind
    assert feed_kind(feed_type).name == kind


def test_relationship_skus_are_the_parents(assert_xsd_valid):
    item = {"relation": [{"type": "Variation", "sku": "child-1"}, {"sku": "child-2", "type": "Variation"}],
            "parentSku": "parent"}
    feed = build_feed("relationship", item, merchant_id="M")
    assert_xsd_valid(feed.xml)
    assert feed.skus == ["parent"]
    relation = etree.fromstring(feed.xml).find("Message/Relationship/Relation")
    assert [c.tag for c in relation] == ["SKU", "Type"]


def test_json_key_order_does_not_change_the_bytes():
    item = {"sku": "P1", "standardPrice": {"value": "19.99", "currency": "USD"}, "map": {"currency": "USD", "value": 5},
            "sale": {"salePrice": {"currency": "USD", "value": "9.99"}, "endDate": "2024-02-01T00:00:00Z",
                     "startDate": "2024-01-01T00:00:00Z"}, "businessPrice": 18}
    keys = list(item)
    random.Random(7).shuffle(keys)
    shuffled = {k: item[k] for k in keys}
    shuffled["sale"] = dict(reversed(list(item["sale"].items())))
    first = build_feed("price", item, merchant_id="M")
    assert build_feed("price", shuffled, merchant_id="M").xml == first.xml
    price = etree.fromstring(first.xml).find("Message/Price")
    assert [c.tag for c in price] == ["SKU", "StandardPrice", "BusinessPrice", "MAP", "Sale"]
    assert [c.tag for c in price.find("Sale")] == ["StartDate", "EndDate", "SalePrice"]


def test_values_are_trimmed_and_normalised(assert_xsd_valid):
    item = {"sku": "  A-1\t", "quantity": " 7 ", "fulfillmentLatency": 2.0, "restockDate": " 2024-05-31 "}
    feed = build_feed("inventory", item, merchant_id="  M  ")
    assert_xsd_valid(feed.xml)
    inventory = etree.fromstring(feed.xml).find("Message/Inventory")
    assert [(c.tag, c.text) for c in inventory] == [
        ("SKU", "A-1"), ("Quantity", "7"), ("RestockDate", "2024-05-31"), ("FulfillmentLatency", "2")]
    assert feed.skus == ["A-1"]


def test_numbers_arrive_in_any_json_form(assert_xsd_valid):
    prices = [19.99, "19.99", 20, 0.1, 1e-4]
    feed = build_feed("price", [{"sku": f"S{i}", "standardPrice": {"value": v, "currency": "EUR"}}
                                for i, v in enumerate(prices)], merchant_id="M")
    assert_xsd_valid(feed.xml)
    texts = [e.text for e in etree.fromstring(feed.xml).iter("StandardPrice")]
    assert texts == ["19.99", "19.99", "20", "0.1", "0.0001"]


def test_xml_special_characters_and_unicode_survive(assert_xsd_valid):
    skus = ["A&B", "<tag>", 'quote"s', "it's", "Café-ß-✓", "日本語-1", "emoji-😀", "]]>"]
    feed = build_feed("inventory", [{"sku": s, "quantity": 1} for s in skus], merchant_id="M&S <UK>")
    assert_xsd_valid(feed.xml)
    document = etree.fromstring(feed.xml)
    assert [e.text for e in document.iter("SKU")] == skus
    assert document.findtext("Header/MerchantIdentifier") == "M&S <UK>"
    assert feed.skus == skus
    assert "Café".encode() in feed.xml  # UTF-8, not character references


def test_booleans_and_dates_use_xsd_forms(assert_xsd_valid):
    from datetime import date, datetime, timezone

    items = [{"sku": "A", "available": "TRUE"}, {"sku": "B", "available": 0 == 1},
             {"sku": "C", "quantity": 1, "restockDate": date(2024, 5, 31)}]
    feed = build_feed("inventory", items, merchant_id="M")
    assert_xsd_valid(feed.xml)
    texts = [e.text for e in etree.fromstring(feed.xml).iter("Available", "RestockDate")]
    assert texts == ["true", "false", "2024-05-31"]
    sale = {"startDate": datetime(2024, 1, 1, tzinfo=timezone.utc), "endDate": "2024-01-31T23:59:59+01:00",
            "salePrice": {"value": 1, "currency": "GBP"}}
    price = build_feed("price", {"sku": "S", "sale": sale}, merchant_id="M")
    assert_xsd_valid(price.xml)
    assert b"<StartDate>2024-01-01T00:00:00+00:00</StartDate>" in price.xml


def test_bare_value_allowed_when_no_attribute_is_required(assert_xsd_valid):
    """ShipAmount needs a currency; an OptionalUnit dimension does not, so a bare number works there."""
    override = {"sku": "S", "shippingOverride": [{"shipOption": "Std Cont US Street Addr", "isShippingRestricted": True},
                                                 {"shipOption": "Exp Cont US Street Addr", "type": "Additive",
                                                  "shipAmount": {"value": "4.99", "currency": "USD"}}]}
    assert_xsd_valid(build_feed("override", override, merchant_id="M").xml)


def test_single_item_dict_is_one_message():
    feed = build_feed("image", {"sku": "S", "imageType": "Main", "imageLocation": "https://e.com/a.jpg"},
                      merchant_id="M")
    assert feed.message_count == 1
    assert feed.skus == ["S"]


def test_validation_error_is_a_configuration_error():
    with pytest.raises(ConfigurationError) as caught:
        build_feed("inventory", [{"quantity": 1}], merchant_id="M")
    assert isinstance(caught.value, FeedValidationError)
    assert caught.value.field == "items[0].sku"
    assert caught.value.to_dict()["problems"] == [
        {"index": 0, "path": "items[0].sku", "rule": "required", "message": "required (SKU)"}]


def test_any_mapping_and_tuple_arrays_are_accepted(assert_xsd_valid):
    from collections import OrderedDict
    from types import MappingProxyType

    item = MappingProxyType({"parentSku": "P", "relation": (OrderedDict(sku="C1", type="Variation"),
                                                             {"sku": "C2", "type": "Variation"})})
    feed = build_feed("relationship", (item,), merchant_id="M")
    assert_xsd_valid(feed.xml)
    assert feed.xml.count(b"<Relation>") == 2
