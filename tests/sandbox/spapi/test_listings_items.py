"""The Listings Items API 2021-08-01 over the same catalogue the MWS side shows: put creates or replaces,
patch changes what it names, delete removes, VALIDATION_PREVIEW changes nothing; issues name attributes;
each attribute lands in the catalogue field MWS feeds write, and MWS feed changes show in getListingsItem."""

from __future__ import annotations

import pytest

from ..conftest import feed_xml
from .conftest import validate
from .listings import full_listing, item_path, listings_sandbox, mp

ALL = "summaries,attributes,issues,offers,fulfillmentAvailability,procurement,relationships,productTypes"


@pytest.fixture
def sandbox(clock):
    return listings_sandbox(clock)


def _put(sp, sku, body, **params):
    answer = sp.call("PUT", item_path(sp, sku), {**mp(sp), **params}, body)
    validate("putListingsItem", answer.status, answer.json)
    return answer


def _patch(sp, sku, *patches, product_type="PRODUCT", **params):
    answer = sp.call("PATCH", item_path(sp, sku), {**mp(sp), **params},
                     {"productType": product_type, "patches": list(patches)})
    validate("patchListingsItem", answer.status, answer.json)
    return answer


def _get(sp, sku, included=ALL):
    answer = sp.call("GET", item_path(sp, sku), {**mp(sp), "includedData": included})
    validate("getListingsItem", answer.status, answer.json)
    return answer


def test_put_creates_a_listing_the_mws_side_shows(sp, sandbox, clock):
    answer = _put(sp, "NEW-CASE", full_listing(sp), includedData="identifiers,issues")
    assert answer.json["status"] == "ACCEPTED" and answer.json["issues"] == []
    assert answer.json["identifiers"][0]["asin"].startswith("B0")
    shown = sandbox.catalogue()["NEW-CASE"]
    assert (shown["title"], shown["brand"], shown["productType"]) == ("Travel Case", "Acme", "LUGGAGE")
    item = _get(sp, "NEW-CASE").json
    assert item["summaries"][0]["productType"] == "LUGGAGE" and item["summaries"][0]["conditionType"] == "new_new"


def test_validation_preview_checks_and_changes_nothing(sp, sandbox):
    valid = _put(sp, "PREVIEW-1", full_listing(sp), mode="VALIDATION_PREVIEW")
    assert valid.json["status"] == "VALID" and "PREVIEW-1" not in sandbox.catalogue()
    body = full_listing(sp)
    del body["attributes"]["brand"]
    invalid = _put(sp, "PREVIEW-1", body, mode="VALIDATION_PREVIEW")
    assert invalid.json["status"] == "INVALID"
    assert invalid.json["issues"][0] == {"code": "90220", "message": "'brand' is required but not supplied.",
                                         "severity": "ERROR", "attributeNames": ["brand"],
                                         "categories": ["MISSING_ATTRIBUTE"]}
    assert "PREVIEW-1" not in sandbox.catalogue()


def test_invalid_put_changes_nothing_and_names_attributes(sp, sandbox):
    sku = next(iter(sandbox.catalogue()))
    before = sandbox.catalogue()[sku]
    body = full_listing(sp, "x" * 201, fake_attribute=[{"value": "y"}])
    answer = _put(sp, sku, body)
    assert answer.json["status"] == "INVALID"
    assert {n for i in answer.json["issues"] for n in i["attributeNames"]} == {"item_name", "fake_attribute"}
    assert sandbox.catalogue()[sku] == before


def test_patch_quantity_price_sale_and_limits(sp, sandbox):
    sku = next(iter(sandbox.catalogue()))
    market = sp.creds["marketplaceId"]
    offer = {"currency": "USD", "marketplace_id": market,
             "our_price": [{"schedule": [{"value_with_tax": 19.99}]}],
             "discounted_price": [{"schedule": [{"value_with_tax": 14.5, "start_at": "2024-01-01T00:00:00Z",
                                                  "end_at": "2024-02-01T00:00:00Z"}]}],
             "minimum_seller_allowed_price": [{"schedule": [{"value_with_tax": 10}]}],
             "maximum_seller_allowed_price": [{"schedule": [{"value_with_tax": 30}]}]}
    answer = _patch(sp, sku,
                    {"op": "replace", "path": "/attributes/fulfillment_availability",
                     "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 13, "lead_time_to_ship_max_days": 4}]},
                    {"op": "replace", "path": "/attributes/purchasable_offer", "value": [offer]})
    assert answer.json["status"] == "ACCEPTED", answer.json
    shown = sandbox.catalogue()[sku]
    assert (shown["quantity"], shown["fulfillmentLatency"], shown["fulfillmentChannel"]) == (13, 4, "MFN")
    assert (shown["price"], shown["salePrice"], shown["minimumPrice"], shown["maximumPrice"]) == (
        "19.99", "14.5", "10", "30")
    assert (shown["saleStart"], shown["saleEnd"]) == ("2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z")
    item = _get(sp, sku).json
    assert item["fulfillmentAvailability"] == [{"fulfillmentChannelCode": "DEFAULT", "quantity": 13}]
    assert item["offers"][0]["price"] == {"currencyCode": "USD", "amount": "14.5"}


def test_images_are_added_and_deleted(sp, sandbox):
    sku = next(iter(sandbox.catalogue()))
    market = sp.creds["marketplaceId"]
    _patch(sp, sku, {"op": "replace", "path": "/attributes/main_product_image_locator",
                     "value": [{"media_location": "https://example.com/main.jpg", "marketplace_id": market}]},
           {"op": "replace", "path": "/attributes/other_product_image_locator_2",
            "value": [{"media_location": "https://example.com/2.jpg", "marketplace_id": market}]})
    assert sandbox.catalogue()[sku]["images"] == {"Main": "https://example.com/main.jpg",
                                                  "PT2": "https://example.com/2.jpg"}
    assert _get(sp, sku).json["summaries"][0]["mainImage"]["link"] == "https://example.com/main.jpg"
    _patch(sp, sku, {"op": "delete", "path": "/attributes/other_product_image_locator_2"})
    assert sandbox.catalogue()[sku]["images"] == {"Main": "https://example.com/main.jpg"}
    bad = _patch(sp, sku, {"op": "replace", "path": "/attributes/main_product_image_locator",
                           "value": [{"media_location": "main.jpg", "marketplace_id": market}]})
    assert bad.json["status"] == "INVALID" and bad.json["issues"][0]["attributeNames"] == ["main_product_image_locator"]


def test_variation_family(sp, sandbox):
    market = sp.creds["marketplaceId"]
    parent = full_listing(sp, "Case family", parentage_level=[{"value": "parent", "marketplace_id": market}],
                          variation_theme=[{"name": "SIZE/COLOR"}])
    assert _put(sp, "FAMILY", parent).json["status"] == "ACCEPTED"
    child = full_listing(sp, "Case small", parentage_level=[{"value": "child", "marketplace_id": market}],
                         child_parent_sku_relationship=[{"child_relationship_type": "variation",
                                                         "parent_sku": "FAMILY", "marketplace_id": market}])
    assert _put(sp, "FAMILY-S", child).json["status"] == "ACCEPTED"
    shown = sandbox.catalogue()
    assert shown["FAMILY"]["children"] == {"FAMILY-S": "Variation"}
    assert (shown["FAMILY"]["parentage"], shown["FAMILY"]["variationTheme"]) == ("parent", "SIZE/COLOR")
    relations = _get(sp, "FAMILY").json["relationships"][0]["relationships"]
    assert relations[0]["childSkus"] == ["FAMILY-S"] and relations[0]["variationTheme"]["theme"] == "SIZE/COLOR"
    orphan = full_listing(sp, child_parent_sku_relationship=[{"child_relationship_type": "variation",
                                                              "parent_sku": "NO-SUCH", "marketplace_id": market}])
    assert _put(sp, "ORPHAN", orphan).json["issues"][0]["attributeNames"] == ["child_parent_sku_relationship"]


def test_delete_removes_the_listing_everywhere(sp, sandbox):
    sku = next(iter(sandbox.catalogue()))
    answer = sp.call("DELETE", item_path(sp, sku), mp(sp))
    validate("deleteListingsItem", answer.status, answer.json)
    assert answer.json["status"] == "ACCEPTED" and sku not in sandbox.catalogue()
    again = sp.call("DELETE", item_path(sp, sku), mp(sp))
    assert again.json["status"] == "INVALID"
    missing = _get(sp, sku)
    assert (missing.status, missing.code) == (404, "NotFound")


def test_patch_of_an_unknown_sku_is_invalid(sp):
    answer = _patch(sp, "NO-SUCH-SKU", {"op": "replace", "path": "/attributes/item_name", "value": [{"value": "x"}]})
    assert answer.json["status"] == "INVALID" and answer.json["issues"][0]["code"] == "4000002"


US = "ATVPDKIKX0DER"
LUGGAGE = {"productType": "LUGGAGE", "attributes": {}}


@pytest.mark.parametrize(("method", "params", "body"), [
    ("PUT", {}, LUGGAGE),  # no marketplaceIds
    ("PUT", {"marketplaceIds": "A1VC38T7YXB528"}, LUGGAGE),  # a marketplace the seller does not sell in
    ("PUT", {"marketplaceIds": US, "mode": "LIVE"}, LUGGAGE),
    ("PUT", {"marketplaceIds": US}, {"attributes": {}}),
    ("PATCH", {"marketplaceIds": US}, {"productType": "PRODUCT", "patches": []}),
])
def test_bad_requests_are_400(sp, method, params, body):
    answer = sp.call(method, item_path(sp, "ANY"), params, body)
    assert (answer.status, answer.code) == (400, "InvalidInput")
    validate("putListingsItem" if method == "PUT" else "patchListingsItem", answer.status, answer.json)


def test_another_sellers_path_is_403(sp, other_sp):
    answer = sp.call("GET", f"/listings/2021-08-01/items/{other_sp.creds['sellerId']}/X", mp(sp))
    assert (answer.status, answer.code) == (403, "Unauthorized")
    validate("getListingsItem", answer.status, answer.json)


def test_an_mws_feed_change_shows_in_get_listings_item(sp, raw, sandbox, clock):
    sku = next(iter(sandbox.catalogue()))
    message = (f"<Message><MessageID>1</MessageID><Inventory><SKU>{sku}</SKU><Quantity>321</Quantity>"
               "</Inventory></Message>")
    assert raw.submit_feed(feed_xml("Inventory", message)).status == 200
    clock.advance(61)
    assert _get(sp, sku).json["fulfillmentAvailability"][0]["quantity"] == 321


def test_an_sp_api_listing_is_one_the_mws_side_accepts_feeds_for(sp, raw, sandbox, clock):
    _put(sp, "SP-ONLY", full_listing(sp))
    message = ("<Message><MessageID>1</MessageID><Inventory><SKU>SP-ONLY</SKU><Quantity>8</Quantity>"
               "</Inventory></Message>")
    feed_id = raw.submit_feed(feed_xml("Inventory", message)).text(".//FeedSubmissionId")
    clock.advance(61)
    result = raw.call("/Feeds/2009-01-01", "GetFeedSubmissionResult", {"FeedSubmissionId": feed_id})
    assert "<MessagesSuccessful>1</MessagesSuccessful>" in result.body.decode()
    assert sandbox.catalogue()["SP-ONLY"]["quantity"] == 8
