"""acknowledgeOrder against the sandbox over loopback, on MWS (SubmitFeed) and SP-API (the same XML
order feed through the feed-document flow): the feed Amazon's XSDs accept, the seller's order id
recorded, lines or whole orders cancelled once Amazon processed the feed, shipped orders refused in the
processing report, bad input refused before any request, and createFeed/SubmitFeed exactly once when
the answer is lost."""

from __future__ import annotations

import pytest
from lxml import etree

from mws_component.lib.connection import override
from mws_component.lib.mws.errors import ConfigurationError
from tests.actions.test_exactly_once import Lossy
from tests.erp.test_confirm_shipment import (
    envelope_schema,
    order,
    orders,
    report_of,
    requests_made,
    sent_feeds,
)
from tests.spapi.listings.test_exactly_once import LossyCreateFeed

BOTH_APIS = pytest.mark.parametrize("world", ["mws", "sp-api"], indirect=True)
ACK = "_POST_ORDER_ACKNOWLEDGEMENT_DATA_"
__all__ = ["envelope_schema"]  # the module-scoped XSD fixture, shared


def acknowledge(world, body: dict, cfg: dict | None = None):
    return world.run("acknowledgeOrder", {**world.cfg, **(cfg or {})}, body=body)


def submitted(world, body: dict) -> dict:
    run = acknowledge(world, body)
    assert run.errors == [], run.errors
    return run.bodies[0]


@BOTH_APIS
def test_acknowledging_records_the_sellers_order_id_and_the_feed_is_valid(world, envelope_schema):
    target = orders(world, "Unshipped")[0]
    out = submitted(world, {"amazonOrderId": target.amazon_order_id, "merchantOrderId": "ERP-1001",
                            "items": [{"amazonOrderItemCode": target.items[0].order_item_id,
                                       "merchantOrderItemId": "ERP-1001-1"}]})
    assert out["feedType"] in (ACK, "POST_ORDER_ACKNOWLEDGEMENT_DATA") and out["messageCount"] == 1
    (feed,) = sent_feeds(world, ACK)
    doc = etree.fromstring(feed["content"].encode("utf-8"))
    envelope_schema.assertValid(doc)
    assert doc.findtext("Message/OrderAcknowledgement/StatusCode") == "Success"
    report = report_of(world, out)
    assert report["statusCode"] == "Complete" and report["results"] == []
    after = order(world, target.amazon_order_id)
    assert after.seller_order_id == "ERP-1001" and after.status == "Unshipped"


@BOTH_APIS
def test_failure_cancels_the_whole_unshipped_order(world):
    target = orders(world, "Unshipped")[0]
    out = submitted(world, {"amazonOrderId": target.amazon_order_id, "statusCode": "Failure"})
    assert report_of(world, out)["results"] == []
    after = order(world, target.amazon_order_id)
    assert after.status == "Canceled" and after.history[-1][1] == "Canceled"


def test_a_cancel_reason_on_one_line_cancels_that_line_only(world, envelope_schema):
    target = orders(world, "Unshipped", lines=2)[0]
    first, second = target.items[:2]
    out = submitted(world, {"amazonOrderId": target.amazon_order_id,
                            "items": [{"amazonOrderItemCode": first.order_item_id, "cancelReason": "NoInventory"}]})
    envelope_schema.assertValid(etree.fromstring(sent_feeds(world, ACK)[0]["content"].encode("utf-8")))
    assert report_of(world, out)["results"] == []
    after = order(world, target.amazon_order_id)
    assert after.status == "Unshipped" and after.items[0].canceled == first.quantity and after.items[1].canceled == 0
    assert "NoInventory" in after.events[-1][1]
    shipped = world.run("confirmShipment", world.cfg, body={  # what is left ships the order
        "amazonOrderId": target.amazon_order_id, "carrierCode": "DHL", "trackingNumber": "JD0002",
        "shipDate": "2025-12-31T12:00:00Z"})
    assert shipped.errors == [] and report_of(world, shipped.bodies[0])["results"] == []
    done = order(world, target.amazon_order_id)
    assert done.status == "Shipped" and done.items[0].shipped == 0 and done.items[1].shipped == second.quantity


def test_cancelling_every_line_cancels_the_order(world):
    target = orders(world, "Unshipped")[0]
    lines = [{"amazonOrderItemCode": i.order_item_id} for i in target.items]
    out = submitted(world, {"amazonOrderId": target.amazon_order_id, "cancelReason": "BuyerCanceled", "items": lines})
    assert report_of(world, out)["results"] == []
    assert order(world, target.amazon_order_id).status == "Canceled"


@BOTH_APIS
def test_shipped_orders_and_unknown_orders_are_error_results(world):
    shipped = orders(world, "Shipped")[0]
    partial = orders(world, "PartiallyShipped")[0]
    unknown = "999-0000000-0000001"
    results = {}
    for body in ({"amazonOrderId": shipped.amazon_order_id, "statusCode": "Failure"},
                 {"amazonOrderId": partial.amazon_order_id, "statusCode": "Failure"},
                 {"amazonOrderId": unknown, "statusCode": "Failure"}):
        (result,) = report_of(world, submitted(world, body))["results"]
        results[body["amazonOrderId"]] = result
        world.clock.advance(20 * 60)  # Amazon asks for one feed of a type per 20 minutes at most
    assert results[unknown]["resultMessageCode"] == 18028
    for target in (shipped, partial):
        result = results[target.amazon_order_id]
        assert result["resultCode"] == "Error" and result["amazonOrderId"] == target.amazon_order_id
        assert "cannot be cancelled" in result["resultDescription"]
        assert order(world, target.amazon_order_id).status == target.status


def test_a_shipped_line_cannot_be_cancelled(world):
    target = orders(world, "PartiallyShipped")[0]
    line = next(i for i in target.items if i.shipped)
    out = submitted(world, {"amazonOrderId": target.amazon_order_id,
                            "items": [{"amazonOrderItemCode": line.order_item_id, "cancelReason": "NoInventory"}]})
    (result,) = report_of(world, out)["results"]
    assert result["resultCode"] == "Error" and "has shipped" in result["resultDescription"]
    assert order(world, target.amazon_order_id).items[target.items.index(line)].canceled == 0


BAD = [
    ({"amazonOrderId": ""}, "amazonOrderId", "required"),
    ({"statusCode": "Cancelled"}, "statusCode", "Success, Failure"),
    ({"cancelReason": "NoInventory"}, "cancelReason", "items"),
    ({"items": [{"amazonOrderItemCode": "12345678901234", "cancelReason": "Changed my mind"}]},
     "items[0].cancelReason", "BuyerCanceled"),
    ({"items": [{"amazonOrderItemCode": "1234"}]}, "items[0].amazonOrderItemCode", "14 digits"),
    ({"items": [{"amazonOrderItemCode": "12345678901234", "quantity": 1}]}, "items[0].quantity", "whole"),
    ({"merchantOrderId": "M" * 51}, "merchantOrderId", "50"),
    ({"items": [{"amazonOrderItemCode": "12345678901234"}, {"amazonOrderItemCode": "12345678901234"}]},
     "items[1]", "second time"),
]


@BOTH_APIS
@pytest.mark.parametrize(("change", "field", "words"), BAD)
def test_bad_input_is_refused_before_any_request_naming_the_field(world, change, field, words):
    body = {"amazonOrderId": orders(world, "Unshipped")[0].amazon_order_id, **change}
    before = requests_made(world)
    (error,) = acknowledge(world, body).errors
    assert isinstance(error, ConfigurationError) and error.field == field and words in str(error), str(error)
    assert requests_made(world) == before


@BOTH_APIS
@pytest.mark.parametrize("fate", ["before", "after"])
def test_a_lost_answer_still_sends_the_acknowledgement_exactly_once(world, fate):
    target = orders(world, "Unshipped")[0]
    lossy = Lossy([fate]) if world.api == "mws" else LossyCreateFeed([fate])
    with override(transport=lossy):
        run = acknowledge(world, {"amazonOrderId": target.amazon_order_id, "statusCode": "Failure"})
    assert run.errors == [], run.errors
    assert lossy.lost[fate] == 1
    (feed,) = sent_feeds(world, ACK)
    assert run.bodies[0]["feedSubmissionId"] == feed["feedSubmissionId"]
    assert report_of(world, run.bodies[0])["results"] == []
    assert order(world, target.amazon_order_id).status == "Canceled"
