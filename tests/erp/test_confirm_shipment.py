"""confirmShipment against the sandbox over loopback: the feed Amazon's XSDs accept (MWS), the order
Shipped or PartiallyShipped with its tracking number once Amazon processed it, shipped orders refused
as Amazon would, bad input refused before any request (naming the field), and SubmitFeed exactly once
when its answer is lost. SP-API (Orders v0 confirmShipment) where it has the same effect."""

from __future__ import annotations

import pytest
from lxml import etree

from mws_component.lib.connection import override
from mws_component.lib.mws.errors import ConfigurationError, InvalidRequestError
from tests.actions.test_exactly_once import Lossy
from tests.conftest import XSD_DIR, require_shared

BOTH_APIS = pytest.mark.parametrize("world", ["mws", "sp-api"], indirect=True)
FULFILLMENT = "_POST_ORDER_FULFILLMENT_DATA_"
SP_FEED_TYPES = {FULFILLMENT: "POST_ORDER_FULFILLMENT_DATA",
                 "_POST_ORDER_ACKNOWLEDGEMENT_DATA_": "POST_ORDER_ACKNOWLEDGEMENT_DATA"}
PROCESSING = 15 * 60  # past the sandbox's queue and processing time
SHIP_DATE = "2025-12-31T12:00:00Z"  # the world starts at 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def envelope_schema() -> etree.XMLSchema:
    xsd_dir = require_shared(XSD_DIR, "Amazon's MWS XSDs")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(xsd_dir / "amzn-envelope.xsd"), parser))


def orders(world, status: str, units: int = 1, lines: int = 1) -> list:
    """The seller's sandbox orders in ``status`` with at least ``units`` units on ``lines`` lines."""
    book = world.sandbox.backend.orders
    found = [o for o in book.of_seller(world.sandbox.backend.primary.seller_id)
             if o.status == status and len(o.items) >= lines and sum(i.quantity for i in o.items) >= units]
    assert found, f"the seeded world has no {status} order with {units} units on {lines} lines"
    return found


def order(world, order_id: str):
    world.sandbox.feeds()  # the sandbox processes what is due on its clock
    return world.sandbox.backend.orders.orders[order_id]


def requests_made(world) -> int:
    return sum(op["requests"] for op in world.sandbox.stats()["operations"].values())


def sent_feeds(world, feed_type: str) -> list[dict]:
    """Every feed of ``feed_type`` the sandbox received (MWS SubmitFeed or SP-API createFeed), with content."""
    if world.api == "mws":
        return [f for f in world.sandbox.feeds() if f["feedType"] == feed_type]
    store = world.sandbox.sp_feeds
    return [{"feedSubmissionId": f.feed_id, "content": store.documents[f.document_id].content.decode("utf-8")}
            for f in list(store.feeds.values()) if f.feed_type == SP_FEED_TYPES[feed_type]]


def report_of(world, out: dict) -> dict:
    """Let Amazon process the feed, then read its processing report with getFeedSubmissionResult."""
    world.clock.advance(PROCESSING)
    run = world.run("getFeedSubmissionResult", world.cfg, body={"feedSubmissionId": out["feedSubmissionId"]})
    assert run.errors == [], run.errors
    return run.bodies[0]


def confirm(world, body: dict, cfg: dict | None = None):
    return world.run("confirmShipment", {**world.cfg, **(cfg or {})}, body=body)


def shipment(order_id: str, **extra) -> dict:
    return {"amazonOrderId": order_id, "carrierCode": "UPS", "shippingMethod": "Ground",
            "trackingNumber": "1Z999AA10123456784", "shipDate": SHIP_DATE, **extra}


def test_mws_whole_order_feed_is_valid_and_ships_the_order_with_its_tracking_number(world, envelope_schema):
    target = orders(world, "Unshipped")[0]
    run = confirm(world, shipment(target.amazon_order_id))
    assert run.errors == [], run.errors
    (out,) = run.bodies
    assert out["feedType"] == FULFILLMENT and out["feedProcessingStatus"] == "_SUBMITTED_" and out["messageCount"] == 1
    (feed,) = sent_feeds(world, FULFILLMENT)
    doc = etree.fromstring(feed["content"].encode("utf-8"))
    envelope_schema.assertValid(doc)
    assert doc.findtext("Message/OrderFulfillment/FulfillmentData/CarrierCode") == "UPS"
    assert doc.findtext("Message/OrderFulfillment/FulfillmentData/ShipperTrackingNumber") == "1Z999AA10123456784"
    assert doc.find("Message/OrderFulfillment/Item") is None  # the whole order
    assert order(world, target.amazon_order_id).status == "Unshipped"  # not before Amazon processed it
    report = report_of(world, out)
    assert report["statusCode"] == "Complete" and report["results"] == []
    assert report["summary"]["messagesSuccessful"] == 1
    after = order(world, target.amazon_order_id)
    assert after.status == "Shipped" and after.history[-1][1] == "Shipped"
    assert all(i.shipped == i.quantity for i in after.items)
    assert "1Z999AA10123456784" in after.events[-1][1] and "UPS" in after.events[-1][1]


@BOTH_APIS
def test_one_unit_ships_partially_then_the_rest_ships_the_order(world, envelope_schema):
    target = next(o for o in orders(world, "Unshipped", units=2))
    first_line = target.items[0]
    run = confirm(world, shipment(target.amazon_order_id, items=[{"orderItemId": first_line.order_item_id,
                                                                   "quantity": 1}]))
    assert run.errors == [], run.errors
    if world.api == "mws":
        envelope_schema.assertValid(etree.fromstring(sent_feeds(world, FULFILLMENT)[0]["content"].encode()))
        assert report_of(world, run.bodies[0])["results"] == []
    else:
        assert run.bodies[0]["status"] == "Confirmed" and run.bodies[0]["orderItems"] == [
            {"orderItemId": first_line.order_item_id, "quantity": 1}]
    middle = order(world, target.amazon_order_id)
    assert middle.status == "PartiallyShipped" and middle.items[0].shipped == 1
    rest = confirm(world, shipment(target.amazon_order_id, trackingNumber="1Z999AA10123456785"))
    assert rest.errors == [], rest.errors
    if world.api == "mws":
        assert report_of(world, rest.bodies[0])["results"] == []
    done = order(world, target.amazon_order_id)
    assert done.status == "Shipped" and [h[1] for h in done.history[-2:]] == ["PartiallyShipped", "Shipped"]
    assert "1Z999AA10123456785" in done.events[-1][1]


@BOTH_APIS
def test_a_shipped_order_is_refused_as_amazon_refuses_it(world):
    target = orders(world, "Shipped")[0]
    run = confirm(world, shipment(target.amazon_order_id))
    if world.api == "mws":  # SubmitFeed accepts it; the processing report says no
        assert run.errors == []
        (result,) = report_of(world, run.bodies[0])["results"]
        assert result["resultCode"] == "Error" and result["amazonOrderId"] == target.amazon_order_id
        assert "Shipped" in result["resultDescription"]
    else:  # the whole order: getOrder shows nothing left, so nothing is sent; named lines: Amazon says no
        (error,) = run.errors
        assert isinstance(error, ConfigurationError) and error.field == "amazonOrderId"
        assert "nothing left to ship" in str(error)
        line = {"orderItemId": target.items[0].order_item_id, "quantity": 1}
        (error,) = confirm(world, shipment(target.amazon_order_id, items=[line])).errors
        assert isinstance(error, InvalidRequestError) and error.code == "InvalidInput" and "Shipped" in str(error)
    assert order(world, target.amazon_order_id).status == "Shipped"


@BOTH_APIS
def test_an_unknown_order_is_an_error_result_or_not_found(world):
    unknown = "999-0000000-0000001"
    run = confirm(world, shipment(unknown))
    if world.api == "mws":
        (result,) = report_of(world, run.bodies[0])["results"]
        assert (result["resultMessageCode"], result["amazonOrderId"]) == (18028, unknown)
    else:
        (error,) = run.errors
        assert "NotFound" in str(error) or "not found" in str(error)


BAD = [
    ({"carrierCode": "Pony Express"}, "carrierCode", "FedEx"),
    ({"carrierCode": "", "carrierName": ""}, "carrierCode", "required"),
    ({"carrierCode": "Other"}, "carrierName", "required"),
    ({"trackingNumber": ""}, "trackingNumber", "required"),
    ({"trackingNumber": "X" * 51}, "trackingNumber", "50"),
    ({"shipDate": "31/12/2025"}, "shipDate", "ISO 8601"),
    ({"shipDate": "2026-01-02T00:00:00Z"}, "shipDate", "future"),
    ({"amazonOrderId": "1234"}, "amazonOrderId", "3-7-7"),
    ({"items": [{"orderItemId": "12345678901234", "quantity": 0}]}, "items[0].quantity", "positive"),
    ({"items": [{"orderItemId": "12345678901234", "quantity": 1.5}]}, "items[0].quantity", "positive"),
    ({"items": [{"orderItemId": "12345678901234"}]}, "items[0].quantity", "required"),
    ({"items": [{"orderItemId": "1234", "quantity": 1}]}, "items[0].orderItemId", "14 digits"),
    ({"items": "all"}, "items", "array"),
]


@BOTH_APIS
@pytest.mark.parametrize(("change", "field", "words"), BAD)
def test_bad_input_is_refused_before_any_request_naming_the_field(world, change, field, words):
    body = {**shipment(orders(world, "Unshipped")[0].amazon_order_id), **change}
    before = requests_made(world)
    run = confirm(world, body)
    (error,) = run.errors
    assert isinstance(error, ConfigurationError) and error.field == field and words in str(error), str(error)
    assert requests_made(world) == before


def test_a_ship_date_in_the_future_on_amazons_clock_is_refused_before_submitfeed():
    """The machine's clock an hour ahead of Amazon's: a time past by the machine is future for Amazon."""
    from mws_sandbox import Sandbox, serve
    from mws_sandbox.clock import OffsetClock

    from mws_component.lib.mws.clock import ManualClock
    from tests.conftest import World

    machine = ManualClock(1_767_225_600.0)
    amazon = OffsetClock(machine)
    amazon.advance(-3600)
    sandbox = Sandbox(clock=amazon, seed=7, orders=50)
    with serve(sandbox) as server:
        world = World(machine, sandbox, server.url)
        target = orders(world, "Unshipped")[0]
        run = confirm(world, shipment(target.amazon_order_id, shipDate="2025-12-31T23:30:00Z"))
        (error,) = run.errors
        assert error.field == "shipDate" and "future" in str(error) and "2025-12-31T23:00:00Z" in str(error)
        assert sent_feeds(world, FULFILLMENT) == []
        assert "SubmitFeed" not in sandbox.stats()["operations"]


def test_dry_run_builds_the_feed_and_sends_nothing(world, envelope_schema):
    target = orders(world, "Unshipped")[0]
    before = requests_made(world)
    run = confirm(world, shipment(target.amazon_order_id), cfg={"dryRun": True})
    (out,) = run.bodies
    assert out["dryRun"] is True and out["feedType"] == FULFILLMENT
    envelope_schema.assertValid(etree.fromstring(out["feedXml"].encode("utf-8")))
    assert requests_made(world) == before


@pytest.mark.parametrize("fate", ["before", "after"])
def test_mws_lost_submitfeed_answer_still_sends_the_confirmation_exactly_once(world, fate):
    target = orders(world, "Unshipped")[0]
    with override(transport=Lossy([fate])):
        run = confirm(world, shipment(target.amazon_order_id))
    assert run.errors == [], run.errors
    (feed,) = sent_feeds(world, FULFILLMENT)
    assert run.bodies[0]["feedSubmissionId"] == feed["feedSubmissionId"]
    assert report_of(world, run.bodies[0])["results"] == []
    assert order(world, target.amazon_order_id).status == "Shipped"


class LossyConfirmShipment(Lossy):
    """``Lossy`` for SP-API confirmShipment (POST .../shipmentConfirmation)."""

    def send(self, request):
        if request.method != "POST" or not request.url.split("?")[0].endswith("/shipmentConfirmation"):
            return self.inner.send(request)
        from dataclasses import replace
        return super().send(replace(request, url=request.url + "?Action=SubmitFeed"))


@pytest.mark.parametrize("world", ["sp-api"], indirect=True)
@pytest.mark.parametrize("fate", ["before", "after"])
def test_sp_api_lost_confirmation_answer_is_resent_for_the_same_package_and_ships_once(world, fate):
    target = orders(world, "Unshipped", units=2)[0]
    line = {"orderItemId": target.items[0].order_item_id, "quantity": 1}
    lossy = LossyConfirmShipment([fate])
    with override(transport=lossy):
        run = confirm(world, shipment(target.amazon_order_id, items=[line]))
    assert run.errors == [], run.errors
    reached = world.sandbox.stats()["operations"]["confirmShipment"]["requests"]
    assert lossy.lost[fate] == 1 and reached == (2 if fate == "after" else 1)  # "after": Amazon saw it twice
    after = order(world, target.amazon_order_id)
    assert after.items[0].shipped == 1 and len(after.events) == 1  # one package, shipped once
    assert after.packages == {run.bodies[0]["packageReferenceId"]}
