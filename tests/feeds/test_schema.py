"""In-metadata schemas: platform dialect, arrays and enums, and they agree with the builder."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft3Validator

from mws_component.lib.feeds import FeedValidationError, categories, category_schema, item_schema
from mws_component.lib.feeds.naming import json_name
from mws_component.lib.feeds.rules import rules

from .samples import branches, category_rule, sample

KINDS = {"inventory": "Inventory", "price": "Price", "image": "ProductImage", "relationship": "Relationship",
         "override": "Override"}


def _errors(schema: dict, item: dict) -> list[str]:
    """Draft 3 is the JSON Schema draft whose per-property ``required: true`` the platform dialect uses."""
    return [f"{list(e.path)}: {e.message}" for e in Draft3Validator(schema).iter_errors(item)]


def test_inventory_schema_shape():
    schema = item_schema("inventory")
    assert schema["type"] == "object" and schema["title"] == "Inventory"
    props = schema["properties"]
    assert list(props) == ["sku", "fulfillmentCenterId", "available", "quantity", "lookup", "restockDate",
                           "fulfillmentLatency", "switchFulfillmentTo"]
    assert props["sku"] == {"type": "string", "title": "SKU", "maxLength": 40, "minLength": 1, "required": True}
    assert props["quantity"]["type"] == "number" and props["quantity"]["minimum"] == 0
    assert "alternative to available, lookup" in props["quantity"]["description"]
    assert props["switchFulfillmentTo"]["enum"] == ["MFN", "AFN"]
    assert props["restockDate"]["format"] == "date"
    assert "required" not in props["quantity"]


def test_price_schema_objects_for_attributes():
    props = item_schema("price")["properties"]
    price = props["standardPrice"]
    assert price["type"] == "object"
    assert price["properties"]["value"]["required"] is True
    assert price["properties"]["currency"]["required"] is True
    assert "USD" in price["properties"]["currency"]["enum"]
    assert "required" not in price["properties"]["zero"]
    sale = props["sale"]["properties"]
    assert [k for k, v in sale.items() if v.get("required")] == ["startDate", "endDate", "salePrice"]


def test_relationship_schema_arrays():
    props = item_schema("relationship")["properties"]
    assert props["parentSku"]["required"] is True
    relation = props["relation"]
    assert relation["type"] == "array" and relation["required"] is True and "maxItems" not in relation
    assert relation["items"]["properties"]["type"]["required"] is True
    assert "Variation" in relation["items"]["properties"]["type"]["enum"]


@pytest.mark.parametrize("display", list(categories()))
def test_category_schema_for_each_display_name(display):
    schema = category_schema(display)
    props = schema["properties"]
    assert props["sku"]["required"] is True
    assert set(props["productData"]["properties"]) == {json_name(e) for e in categories()[display]}
    bullets = props["descriptionData"]["properties"]["bulletPoint"]
    assert bullets["type"] == "array" and bullets["maxItems"] == 5 and bullets["items"]["maxLength"] == 500
    assert props["descriptionData"]["properties"]["title"]["required"] is True
    assert display in schema["title"]


def test_category_schema_shows_enums_and_choices():
    computers = category_schema("Computers")["properties"]["productData"]["properties"]["computers"]
    product_type = computers["properties"]["productType"]
    assert product_type["required"] is True
    notebook = product_type["properties"]["notebookComputer"]
    assert "alternative to" in notebook["description"]
    assert notebook["properties"]["operatingSystem"]["type"] == "array"
    assert notebook["properties"]["wirelessCarrier"]["items"]["enum"][0] == "att "


def test_schemas_are_fresh_copies():
    first = category_schema("Beauty")
    first["properties"].clear()
    assert category_schema("Beauty")["properties"]
    assert json.dumps(item_schema("image")) == json.dumps(item_schema("image"))


def test_unknown_category_and_kind_are_clear_errors():
    with pytest.raises(FeedValidationError, match="unknown category 'Garden'"):
        category_schema("Garden")
    with pytest.raises(FeedValidationError, match="unknown feed kind"):
        item_schema("stock")


@pytest.mark.parametrize("kind", list(KINDS))
def test_valid_items_satisfy_their_schema(kind):
    rule = rules().root(KINDS[kind])
    schema = item_schema(kind)
    for branch in range(branches(rule)):
        for full in (False, True):
            item = sample(rule, full=full, branch=branch)
            assert _errors(schema, item) == [], item


@pytest.mark.parametrize("display", ["Beauty", "Camera & Photo", "Computers", "Toys & Games", "Sports",
                                     "Clothing Accessories & Luggage", "Software and Video Games"])
def test_valid_products_satisfy_their_category_schema(display):
    schema = category_schema(display)
    for element in categories()[display]:
        rule = category_rule(element)
        for branch in range(branches(rule)):
            item = sample(rules().root("Product"), full=True)
            item["productData"] = {json_name(element): sample(rule, full=True, branch=branch)}
            assert _errors(schema, item) == []


def test_schema_refuses_what_the_builder_refuses():
    schema = item_schema("price")
    assert _errors(schema, {"standardPrice": {"value": 1, "currency": "USD"}})  # sku missing
    assert _errors(schema, {"sku": "S", "standardPrice": {"value": 1, "currency": "XYZ"}})
    assert _errors(schema, {"sku": "S", "standardPrice": {"value": 1}})
    assert _errors(item_schema("inventory"), {"sku": "S" * 41, "quantity": 1})
