"""The feed actions' JSON inputs as listings messages: golden files per action, what has no counterpart,
and every dry-run document valid against Amazon's own listings-feed-schema-v2.json (read in place)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from mws_component.lib.feeds import FeedValidationError
from mws_component.lib.spapi.listings import table, to_listings
from mws_component.lib.spapi.listings_feed import document_problems, feed_document
from mws_component.lib.submission import items_from
from tests.conftest import SHARED, require_shared

from .cases import CASES

GOLDEN = Path(__file__).with_name("golden")
FEEDS = SHARED / "sp-api" / "schemas" / "feeds"
SELLER, MARKET = "A2NEXAMPLETF53", "ATVPDKIKX0DER"


def _listings(kind, body, operation="Update", category=None):
    return to_listings(kind, items_from(body), seller_id=SELLER, marketplace_id=MARKET, operation=operation,
                       category=category)


@pytest.fixture(scope="module")
def amazon_feed_schema() -> Draft7Validator:
    folder = require_shared(FEEDS, "Amazon's listings feed schemas")
    return Draft7Validator(json.loads((folder / "listings-feed-schema-v2.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_action_maps_to_its_golden_messages(case):
    kind, operation, category, body = CASES[case]
    messages = [x.message(n) for n, x in enumerate(_listings(kind, body, operation, category), 1)]
    assert messages == json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_document_is_valid_against_amazons_feed_schema(case, amazon_feed_schema):
    kind, operation, category, body = CASES[case]
    document = feed_document(_listings(kind, body, operation, category), seller_id=SELLER)
    assert list(amazon_feed_schema.iter_errors(json.loads(document.body))) == []
    assert document.message_count == len(document.document["messages"])


def test_the_local_feed_rules_refuse_what_amazons_schema_refuses(amazon_feed_schema):
    bad = [{"header": {"sellerId": SELLER, "version": "2.0"}, "messages": []},
           {"header": {"sellerId": SELLER, "version": "1.0"}, "messages": [{"messageId": 1, "sku": "A",
                                                                           "operationType": "DELETE"}]},
           {"header": {"sellerId": SELLER, "version": "2.0"}, "messages": [
               {"messageId": 1, "sku": "A", "operationType": "DELETE", "productType": "X"}]},
           {"header": {"sellerId": SELLER, "version": "2.0"}, "messages": [
               {"messageId": 1, "sku": "A", "operationType": "PATCH", "productType": "X", "patches": []}]},
           {"header": {"sellerId": SELLER, "version": "2.0"}, "messages": [
               {"messageId": 0, "sku": "", "operationType": "UPDATE", "productType": "X", "attributes": {}}]}]
    for document in bad:
        assert list(amazon_feed_schema.iter_errors(document)), document  # the cases really are invalid
        assert document_problems(document), document


def test_a_price_field_without_counterpart_is_refused_with_the_reason():
    with pytest.raises(FeedValidationError) as caught:
        _listings("price", {"items": [{"sku": "A", "standardPrice": {"value": 5, "currency": "USD"}},
                                      {"sku": "B", "standardPrice": {"value": 5, "currency": "USD"},
                                       "businessPrice": 4.5}]})
    (problem,) = caught.value.problems
    assert problem.index == 1 and problem.path == "items[1].businessPrice" and "B2B" in problem.message
    assert "nothing was sent" in str(caught.value)


def test_an_image_type_without_counterpart_and_a_non_variation_relation_are_refused():
    with pytest.raises(FeedValidationError) as caught:
        _listings("image", {"sku": "A", "imageType": "PT98", "imageLocation": "https://img.example.com/a.jpg"})
    assert "main_product_image_locator" not in caught.value.problems[0].message and "Main" in str(caught.value)
    with pytest.raises(FeedValidationError) as caught:
        _listings("relationship", {"parentSku": "P", "relation": [{"sku": "C", "type": "Accessory"}]})
    assert caught.value.problems[0].path == "items[0].relation[0].type"


def test_the_mws_input_rules_still_apply_before_mapping():
    with pytest.raises(FeedValidationError) as caught:
        _listings("inventory", {"items": [{"sku": "A", "quantity": -1}]})
    assert caught.value.problems[0].path.startswith("items[0].quantity")


def test_product_fields_without_a_generic_counterpart_are_named():
    with pytest.raises(FeedValidationError) as caught:
        _listings("product", {"sku": "A", "descriptionData": {"title": "T", "itemDimensions": {}},
                              "productData": {"beauty": {"skinType": "dry"}}}, category="Beauty")
    paths = {p.path for p in caught.value.problems}
    assert paths == {"items[0].descriptionData.itemDimensions", "items[0].productData.beauty.skinType"}


def test_a_category_without_product_type_asks_for_one_and_productType_picks_another():
    with pytest.raises(FeedValidationError) as caught:
        _listings("product", {"sku": "A", "descriptionData": {"title": "T"}}, category="Clothing Accessories & Luggage")
    assert caught.value.problems[0].path == "items[0].productType"
    (listing,) = _listings("product", {"sku": "A", "productType": "HANDBAG", "descriptionData": {"title": "T"}},
                           category="Shoes Handbags and Sunglasses")
    assert listing.product_type == "HANDBAG"


def test_every_category_has_a_row_in_the_product_type_table():
    from mws_component.lib.feeds import categories

    elements = {e for names in categories().values() for e in names}
    assert elements == set(table()["productTypes"])
