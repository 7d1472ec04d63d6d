"""The Product Type Definitions API on the sandbox: at least ten product types covering the component's 30
categories, each served as a valid JSON Schema 2019-09 (with Amazon's keywords) behind ``schema.link.resource``,
versioned, and enforced by the emulator on listings items: Amazon's keywords reject bad attributes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from mws_sandbox.spapi.producttypes import AmazonValidator, attribute_issues, product_types

from mws_component import COMPONENT_ROOT

from .conftest import validate
from .listings import PRODUCT_TYPES, fetch, full_listing, item_path, listings_sandbox, mp


@pytest.fixture
def sandbox(clock):
    return listings_sandbox(clock)


def _categories() -> set[str]:
    rules = json.loads((Path(COMPONENT_ROOT) / "lib" / "feeds" / "data" / "rules.json").read_text(encoding="utf-8"))
    return set(rules["displayCategories"])


def test_at_least_ten_types_cover_all_thirty_categories():
    assert len(product_types()) >= 10 and "PRODUCT" in product_types()
    covered = {c for pt in product_types().values() for c in pt.categories}
    assert len(_categories()) == 30 and covered == _categories()


@pytest.mark.parametrize("name", sorted(product_types()))
def test_served_schema_is_valid_json_schema_2019_09(sp, sandbox, name):
    answer = sp.get(f"{PRODUCT_TYPES}/{name}", {**mp(sp), "requirements": "LISTING"})
    validate("getDefinitionsProductType", answer.status, answer.json)
    definition = answer.json
    assert definition["productType"] == name and definition["productTypeVersion"]["latest"] is True
    schema_response = fetch(sandbox, "GET", definition["schema"]["link"]["resource"])
    assert schema_response.status == 200
    schema = json.loads(schema_response.body)
    jsonschema.Draft201909Validator.check_schema(schema)
    assert {"item_name", "brand", "condition_type"} <= set(schema["required"])
    meta = json.loads(fetch(sandbox, "GET", definition["metaSchema"]["link"]["resource"]).body)
    jsonschema.Draft201909Validator.check_schema(meta)


def test_requirements_sets_and_versions(sp, sandbox, clock):
    offer_only = sp.get(f"{PRODUCT_TYPES}/LUGGAGE", {**mp(sp), "requirements": "LISTING_OFFER_ONLY"}).json
    schema = json.loads(fetch(sandbox, "GET", offer_only["schema"]["link"]["resource"]).body)
    assert schema["required"] == ["condition_type"]
    version = offer_only["productTypeVersion"]["version"]
    assert sp.get(f"{PRODUCT_TYPES}/LUGGAGE", {**mp(sp), "productTypeVersion": version}).status == 200
    stale = sp.get(f"{PRODUCT_TYPES}/LUGGAGE", {**mp(sp), "productTypeVersion": "U0xEU1RBTEU="})
    assert (stale.status, stale.code) == (400, "InvalidInput")
    unknown = sp.get(f"{PRODUCT_TYPES}/INVALID", mp(sp))
    assert unknown.status == 400 and "LUGGAGE" in unknown.json["errors"][0]["details"]
    validate("getDefinitionsProductType", unknown.status, unknown.json)


def test_search_by_keyword(sp):
    answer = sp.get(PRODUCT_TYPES, {**mp(sp), "keywords": "luggage,book"})
    validate("searchDefinitionsProductTypes", answer.status, answer.json)
    assert {pt["name"] for pt in answer.json["productTypes"]} == {"LUGGAGE", "ABIS_BOOK"}
    everything = sp.get(PRODUCT_TYPES, mp(sp)).json["productTypes"]
    assert len(everything) == len(product_types())
    refused = sp.get(PRODUCT_TYPES, {**mp(sp), "keywords": "Invalid Request"})
    assert refused.status == 400


MARKET = "ATVPDKIKX0DER"
BAD = [  # attribute, value, what the schema says
    ("item_name", [{"value": "€" * 67, "marketplace_id": MARKET}], "maxUtf8ByteLength"),  # 201 bytes, 67 characters
    ("item_name", [{"value": "", "marketplace_id": MARKET}], "minUtf8ByteLength"),
    ("item_name", [{"value": "a", "marketplace_id": MARKET}, {"value": "b", "marketplace_id": MARKET}], "selectors"),
    ("bullet_point", [{"value": f"point {n}", "marketplace_id": MARKET} for n in range(11)], "maxUniqueItems"),
    ("condition_type", [{"value": "brand_new", "marketplace_id": MARKET}], "enum"),
    ("fulfillment_availability", [{"fulfillment_channel_code": "DEFAULT", "quantity": -1}], "minimum"),
    ("not_an_attribute", [{"value": 1}], "additionalProperties"),
]


@pytest.mark.parametrize(("name", "value", "keyword"), BAD, ids=[b[2] for b in BAD])
def test_amazon_keywords_reject_bad_attributes(name, value, keyword):
    schema = product_types()["LUGGAGE"].schema()
    errors = list(AmazonValidator(schema).iter_errors({name: value}))
    assert keyword in {e.validator for e in errors}
    issues = attribute_issues("LUGGAGE", {name: value}, partial=True)
    assert issues and all(i.attribute_names == (name,) for i in issues)


def test_good_attributes_pass_and_a_put_is_checked_against_its_product_type(sp, sandbox):
    body = full_listing(sp, "€" * 66)  # 198 bytes: within the limit
    assert attribute_issues("LUGGAGE", body["attributes"]) == []
    assert sp.call("PUT", item_path(sp, "BYTES"), mp(sp), body).json["status"] == "ACCEPTED"
    body["productType"] = "ABIS_BOOK"  # books also require an author
    answer = sp.call("PUT", item_path(sp, "BYTES"), mp(sp), body).json
    assert answer["status"] == "INVALID" and answer["issues"][0]["attributeNames"] == ["author"]
