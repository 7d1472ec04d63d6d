"""Every feed action through SP-API credentials against the emulator over loopback HTTP: many items as
one JSON_LISTINGS_FEED (then its status and processing report), one item through the Listings Items
API, and dry runs whose feedDocument is valid against Amazon's listings-feed-schema-v2.json."""

from __future__ import annotations

import pytest

from mws_component.lib.connection import override
from mws_component.lib.feeds import FeedValidationError

from .test_mapping import amazon_feed_schema  # noqa: F401 - a fixture

SP = pytest.mark.parametrize("world", ["sp-api"], indirect=True)
IMAGE = "https://img.example.com/{}.jpg"


def _skus(world, n):
    return list(world.sandbox.catalogue())[:n]


def _bodies(world, skus):
    """Each action's items for ``skus``, and what the catalogue shows for the first SKU afterwards."""
    a = skus[0]
    return {
        "submitInventory": ({}, [{"sku": s, "quantity": 40 + n, "fulfillmentLatency": 2} for n, s in enumerate(skus)],
                            lambda c: (c[a]["quantity"], c[a]["fulfillmentLatency"]) == (40, 2)),
        "changeProductPrice": ({}, [{"sku": s, "standardPrice": {"value": 12.5, "currency": "USD"}} for s in skus],
                               lambda c: float(c[a]["price"]) == 12.5),
        "changeProductImage": ({}, [{"sku": s, "imageType": "Main", "imageLocation": IMAGE.format(s)} for s in skus],
                               lambda c: c[a]["images"].get("Main") == IMAGE.format(a)),
        "submitProduct": ({"category": "Beauty"},
                          [{"sku": s, "condition": {"conditionType": "New"},
                            "descriptionData": {"title": f"Rose cream {s[:8]}", "brand": "Acme"}} for s in skus],
                          lambda c: c[a]["title"] == f"Rose cream {a[:8]}"),
        "submitProductFromPayload": ({}, [{"sku": s, "condition": {"conditionType": "New"}, "productData": {"beauty": {}},
                                           "descriptionData": {"title": f"Balm {s[:8]}", "brand": "Acme"}} for s in skus],
                                     lambda c: c[a]["title"] == f"Balm {a[:8]}"),
    }


ACTIONS = ["submitInventory", "changeProductPrice", "changeProductImage", "submitProduct", "submitProductFromPayload"]


@SP
@pytest.mark.parametrize("step", ACTIONS)
def test_many_items_go_as_one_feed_and_reach_the_catalogue(world, step):
    fields, items, shows = _bodies(world, _skus(world, 3))[step]
    run = world.run(step, {**world.cfg, **fields}, body={"items": items})
    assert run.errors == [], run.errors
    (out,) = run.bodies
    assert (out["feedType"], out["messageCount"], out["feedProcessingStatus"]) == ("JSON_LISTINGS_FEED", 3, "_SUBMITTED_")
    world.clock.advance(600)
    status = world.run("getFeedSubmissionStatus", world.cfg,
                       body={"feedSubmissionId": out["feedSubmissionId"], "feedType": "JSON_LISTINGS_FEED"})
    assert status.errors == [] and status.bodies[0]["feedProcessingStatus"] == "_DONE_"
    result = world.run("getFeedSubmissionResult", world.cfg, body={"feedSubmissionId": out["feedSubmissionId"]})
    assert result.errors == [], result.errors
    assert result.bodies[0]["summary"]["messagesSuccessful"] == 3 and result.bodies[0]["statusCode"] == "Complete"
    assert shows(world.sandbox.catalogue())


@SP
def test_relationships_many_children_as_one_feed(world):
    parent, *children = _skus(world, 3)
    body = {"parentSku": parent, "variationTheme": "Color", "relation": [{"sku": c, "type": "Variation"} for c in children]}
    run = world.run("establishProductRelationships", world.cfg, body=body)
    assert run.errors == [], run.errors
    assert run.bodies[0]["messageCount"] == 3
    world.clock.advance(600)
    result = world.run("getFeedSubmissionResult", world.cfg, body={"feedSubmissionId": run.bodies[0]["feedSubmissionId"]})
    assert result.errors == [] and result.bodies[0]["summary"]["messagesSuccessful"] == 3
    catalogue = world.sandbox.catalogue()
    assert set(catalogue[parent]["children"]) == set(children)


@SP
def test_a_status_asked_with_another_feed_type_is_refused(world):
    _, items, _ = _bodies(world, _skus(world, 2))["submitInventory"]
    out = world.run("submitInventory", world.cfg, body={"items": items}).bodies[0]
    run = world.run("getFeedSubmissionStatus", world.cfg,
                    body={"feedSubmissionId": out["feedSubmissionId"], "feedType": "POST_ORDER_FULFILLMENT_DATA"})
    (error,) = run.errors
    assert "is a JSON_LISTINGS_FEED feed, not POST_ORDER_FULFILLMENT_DATA" in str(error)


@SP
def test_a_result_asked_too_early_is_rebounded(world):
    fields, items, _ = _bodies(world, _skus(world, 2))["submitInventory"]
    out = world.run("submitInventory", world.cfg, body={"items": items}).bodies[0]
    early = world.run("getFeedSubmissionResult", world.cfg, body={"feedSubmissionId": out["feedSubmissionId"]})
    assert early.bodies == [] and early.errors == [] and early.rebounds


@SP
@pytest.mark.parametrize("step", [*ACTIONS, "establishProductRelationships"])
def test_dry_run_documents_are_valid_against_amazons_schema(world, step, amazon_feed_schema):  # noqa: F811
    skus = _skus(world, 3)
    if step == "establishProductRelationships":
        fields, body = {}, {"parentSku": skus[0], "relation": [{"sku": skus[1], "type": "Variation"}]}
    else:
        fields, items, _ = _bodies(world, skus)[step]
        body = {"items": items}
    before = world.sandbox.catalogue()
    run = world.run(step, {**world.cfg, **fields, "dryRun": True}, body=body)
    assert run.errors == [], run.errors
    (out,) = run.bodies
    assert out["dryRun"] is True and out["feedType"] == "JSON_LISTINGS_FEED"
    assert out["messageCount"] == len(out["feedDocument"]["messages"])
    assert list(amazon_feed_schema.iter_errors(out["feedDocument"])) == []
    assert world.sandbox.catalogue() == before and not world.sandbox.sp_feeds.feeds


@SP
def test_a_product_breaking_its_product_type_schema_is_refused_before_sending(world):
    sku = _skus(world, 1)[0]
    run = world.run("submitProduct", {**world.cfg, "category": "Beauty"},
                    body={"items": [{"sku": sku, "descriptionData": {"title": "x" * 300, "brand": "Acme"}}]})
    (error,) = run.errors
    assert isinstance(error, FeedValidationError)
    paths = {p.path for p in error.problems}
    assert {"items[0].attributes.condition_type", "items[0].attributes.item_name.0.value"} <= paths
    assert not world.sandbox.sp_feeds.feeds


@SP
@pytest.mark.parametrize("step", [*ACTIONS, "establishProductRelationships"])
def test_one_item_goes_through_the_listings_items_api(world, step):
    skus = _skus(world, 2)
    if step == "establishProductRelationships":
        fields, body = {}, {"parentSku": skus[0], "relation": []}
        body = {"parentSku": skus[0], "relation": [{"sku": skus[1], "type": "Variation"}]}
        run = world.run(step, {**world.cfg, **fields}, body=body)  # two SKUs touched: a feed of two messages
        assert run.errors == [] and run.bodies[0]["messageCount"] == 2
        return
    fields, items, shows = _bodies(world, skus[:1])[step]
    run = world.run(step, {**world.cfg, **fields}, body=items[0])
    assert run.errors == [], run.errors
    (out,) = run.bodies
    assert (out["feedType"], out["status"], out["messageCount"], out["sku"]) == ("LISTINGS_ITEM", "ACCEPTED", 1, skus[0])
    assert out["feedSubmissionId"] and not world.sandbox.sp_feeds.feeds
    assert shows(world.sandbox.catalogue())


@SP
def test_deleting_one_image_directly(world):
    sku = _skus(world, 1)[0]
    world.run("changeProductImage", world.cfg, body={"sku": sku, "imageType": "PT1", "imageLocation": IMAGE.format(sku)})
    assert world.sandbox.catalogue()[sku]["images"]["PT1"] == IMAGE.format(sku)
    run = world.run("changeProductImage", {**world.cfg, "operation": "Delete"}, body={"sku": sku, "imageType": "PT1"})
    assert run.errors == [], run.errors
    assert "PT1" not in world.sandbox.catalogue()[sku]["images"]


@SP
def test_submit_product_in_metadata_on_sp_api_comes_from_the_product_type_schema(world):
    from mws_component.lib.actions import submit_product

    with override(clock=world.clock):
        meta = submit_product.getMetaModel({**world.cfg, "category": "Beauty"})
    item = meta["in"]["properties"]["items"]["items"]
    assert item["title"] == "Beauty (BEAUTY)" and item["properties"]["productType"]["enum"] == ["BEAUTY"]
    attributes = item["properties"]["attributes"]["properties"]
    assert {"item_name", "brand", "condition_type", "purchasable_offer"} <= set(attributes)
    assert attributes["item_name"]["required"] is True and "skin_type" in attributes
    mws = submit_product.getMetaModel({"category": "Beauty"})  # MWS credentials: the XSD's fields, as before
    assert "descriptionData" in mws["in"]["properties"]


def test_relationship_in_metadata_offers_the_variation_theme_on_sp_api_only():
    from mws_component.lib.actions import establish_product_relationships as step
    from tests.spapi.fakes import CREDS

    sp = step.getMetaModel(dict(CREDS))["in"]
    assert "variationTheme" in sp["properties"] and "variationTheme" in sp["properties"]["items"]["items"]["properties"]
    assert "variationTheme" not in step.getMetaModel({})["in"]["properties"]
