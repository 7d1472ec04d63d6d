"""Feed actions against the sandbox: submit -> status -> result, for good and bad feeds."""

from __future__ import annotations

import pytest

from mws_component.lib.connection import override
from mws_component.lib.mws.errors import ConfigurationError, ResponseIntegrityError, TransportError
from mws_component.lib.mws.transport import HttpResponse, InProcessTransport

PROCESSING = 15 * 60  # comfortably past the sandbox's queue + processing time


def skus(world, n):
    return list(world.sandbox.catalogue())[:n]


def submit_and_follow(world, step_id, body, cfg=None):
    submitted = world.run(step_id, {**world.cfg, **(cfg or {})}, body=body)
    assert submitted.errors == [], submitted.errors
    (out,) = submitted.bodies
    feed_id = out["feedSubmissionId"]
    status = world.run("getFeedSubmissionStatus", world.cfg, body={"feedSubmissionId": feed_id}).bodies[0]
    assert status["feedSubmissionId"] == feed_id and status["feedProcessingStatus"] == "_SUBMITTED_"
    early = world.run("getFeedSubmissionResult", world.cfg, body={"feedSubmissionId": feed_id})
    assert early.errors == [] and early.bodies == [] and len(early.rebounds) == 1
    assert "not processed yet" in str(early.rebounds[0])
    world.clock.advance(PROCESSING)
    done = world.run("getFeedSubmissionStatus", world.cfg, body={"feedSubmissionId": feed_id}).bodies[0]
    assert done["feedProcessingStatus"] == "_DONE_" and done["completedProcessingDate"]
    report = world.run("getFeedSubmissionResult", world.cfg, body={"feedSubmissionId": feed_id})
    assert report.errors == []
    return out, report.bodies[0]


def test_inventory_feed_goes_through_and_updates_the_catalogue(world):
    a, b = skus(world, 2)
    out, report = submit_and_follow(world, "submitInventory",
                                    {"items": [{"sku": a, "quantity": 7}, {"sku": b, "quantity": 0, "fulfillmentLatency": 3}]})
    assert out["feedType"] == "_POST_INVENTORY_AVAILABILITY_DATA_" and out["messageCount"] == 2
    assert report["statusCode"] == "Complete" and report["results"] == []
    assert report["summary"] == {"messagesProcessed": 2, "messagesSuccessful": 2, "messagesWithError": 0,
                                 "messagesWithWarning": 0}
    catalogue = world.sandbox.catalogue()
    assert catalogue[a]["quantity"] == 7 and catalogue[b]["quantity"] == 0 and catalogue[b]["fulfillmentLatency"] == 3


def test_price_feed_with_an_unknown_sku_reports_that_message_as_an_error(world):
    (a,) = skus(world, 1)
    body = {"items": [{"sku": a, "standardPrice": {"value": "12.34", "currency": "USD"}},
                      {"sku": "NO-SUCH-SKU", "standardPrice": {"value": "1.00", "currency": "USD"}}]}
    _, report = submit_and_follow(world, "changeProductPrice", body)
    assert report["summary"]["messagesWithError"] == 1 and report["summary"]["messagesSuccessful"] == 1
    (error,) = report["results"]
    assert error["messageId"] == 2 and isinstance(error["resultMessageCode"], int)
    assert error["resultCode"] == "Error" and error["sku"] == "NO-SUCH-SKU" and error["resultMessageCode"]
    assert world.sandbox.catalogue()[a]["price"] == "12.34"


def test_image_relationship_and_product_feeds(world):
    a, b, c = skus(world, 3)
    submit_and_follow(world, "changeProductImage",
                      {"sku": a, "imageType": "Main", "imageLocation": "https://example.com/a.jpg"})
    submit_and_follow(world, "establishProductRelationships",
                      {"parentSku": a, "relation": [{"sku": b, "type": "Variation"}, {"sku": c, "type": "Variation"}]})
    product = {"sku": "NEW-SKU-1", "standardProductId": {"type": "UPC", "value": "012345678905"},
               "descriptionData": {"title": "Crème & Co. <Deluxe> Sérum", "brand": "Acme"},
               "productData": {"beauty": {"productType": {"beautyMisc": {}}}}}
    out, report = submit_and_follow(world, "submitProduct", product, {"category": "Beauty", "operation": "Upsert"})
    assert out["feedType"] == "_POST_PRODUCT_DATA_" and report["summary"]["messagesWithError"] == 0
    assert "NEW-SKU-1" in world.sandbox.catalogue()
    out, _ = submit_and_follow(world, "submitProductFromPayload", {**product, "sku": "NEW-SKU-2"})
    assert "NEW-SKU-2" in world.sandbox.catalogue()
    catalogue = world.sandbox.catalogue()
    assert catalogue[a]["images"] and set(catalogue[a]["children"]) >= {b, c}


@pytest.mark.parametrize(("step_id", "body", "needle"), [
    ("submitInventory", {"quantity": 5}, "sku"),
    ("submitInventory", {"sku": "A", "quantity": -1}, "quantity"),
    ("submitInventory", {"items": []}, "items"),
    ("submitInventory", {"items": [{"sku": "A", "quantity": 1}, {"sku": "B", "quantity": "many"}]}, "items[1].quantity"),
    ("changeProductPrice", {"sku": "A", "standardPrice": {"value": "1.00", "currency": "XYZ"}}, "currency"),
    ("changeProductPrice", {"sku": "x" * 41, "standardPrice": {"value": "1.00", "currency": "USD"}}, "sku"),
    ("submitProductFromPayload", {"items": [{"sku": "A", "category": "Beauty"}, {"sku": "B", "category": "Books"}]},
     "category"),
])
def test_bad_items_are_refused_before_any_request_naming_the_field(world, step_id, body, needle):
    before = world.sandbox.stats()
    run = world.run(step_id, world.cfg, body=body)
    assert len(run.errors) == 1 and isinstance(run.errors[0], ConfigurationError)
    assert needle in str(run.errors[0])
    assert world.sandbox.stats() == before and world.sandbox.feeds() == []


def test_unknown_category_field_is_refused_listing_the_choices(world):
    run = world.run("submitProduct", {**world.cfg, "category": "Spaceships"}, body={"sku": "A"})
    assert "category" in str(run.errors[0]) and "Beauty" in str(run.errors[0])


def test_dry_run_builds_and_validates_without_sending(world):
    before = world.sandbox.stats()
    run = world.run("submitInventory", {**world.cfg, "dryRun": "on"}, body={"sku": "A&B <1>", "quantity": 3})
    (out,) = run.bodies
    assert out["dryRun"] is True and out["feedSubmissionId"] is None and out["messageCount"] == 1
    assert "<SKU>A&amp;B &lt;1&gt;</SKU>" in out["feedXml"]
    assert world.sandbox.stats() == before


def test_submit_product_metadata_follows_the_chosen_category(world):
    from eiosdk.service import get_meta_model

    from tests.conftest import COMPONENT

    meta = get_meta_model(COMPONENT, "submitProduct", {**world.cfg, "category": "Camera & Photo"})
    props = meta["in"]["properties"]
    assert "cameraPhoto" in props["productData"]["properties"]
    assert props["items"]["type"] == "array" and props["items"]["items"]["properties"]["sku"]["required"] is True
    assert "required" not in props["sku"]  # a message may carry several items under `items` instead
    assert meta["out"]["properties"]["feedSubmissionId"]


class Interfering:
    """The sandbox in-process, with one chosen call's answer tampered with."""

    def __init__(self, sandbox, action, mode):
        self.inner, self.action, self.mode, self.hits = InProcessTransport(sandbox), action, mode, 0

    def send(self, request):
        is_target = f"Action={self.action}" in request.url + request.body.decode("latin-1")
        if is_target and self.mode == "drop-before" and self.hits == 0:
            self.hits += 1
            raise TransportError("connection refused")
        response = self.inner.send(request)
        if is_target and self.mode == "lose-answer" and self.hits == 0:
            self.hits += 1
            raise TransportError("connection reset after the body was sent")
        if is_target and self.mode == "corrupt":
            return HttpResponse(response.status, response.headers, response.body.replace(b"Complete", b"Komplete"))
        return response


@pytest.mark.parametrize("mode", ["lose-answer", "drop-before"])
def test_a_lost_submit_answer_is_never_blindly_resubmitted(world, mode):
    (a,) = skus(world, 1)
    transport = Interfering(world.sandbox, "SubmitFeed", mode)
    with override(transport=transport):
        run = world.run("submitInventory", world.cfg, body={"sku": a, "quantity": 4})
    assert run.errors == [], run.errors
    feeds = world.sandbox.feeds()
    assert len(feeds) == 1 and transport.hits == 1
    assert run.bodies[0]["feedSubmissionId"] == str(feeds[0].get("feedSubmissionId", feeds[0].get("id")))


def test_a_submission_made_before_ours_is_never_taken_for_ours(world):
    (a,) = skus(world, 1)
    world.run("submitInventory", world.cfg, body={"sku": a, "quantity": 1})  # someone else's, moments earlier
    world.clock.advance(2)
    with override(transport=Interfering(world.sandbox, "SubmitFeed", "lose-answer")):
        run = world.run("submitInventory", world.cfg, body={"sku": a, "quantity": 2})
    assert run.errors == [], run.errors
    feeds = world.sandbox.feeds()
    assert len(feeds) == 2 and run.bodies[0]["feedSubmissionId"] == feeds[1]["feedSubmissionId"]
    assert "<Quantity>2</Quantity>" in feeds[1]["content"]


def test_a_result_whose_body_does_not_match_its_md5_is_refused(world):
    (a,) = skus(world, 1)
    feed_id = world.run("submitInventory", world.cfg, body={"sku": a, "quantity": 4}).bodies[0]["feedSubmissionId"]
    world.clock.advance(PROCESSING)
    with override(transport=Interfering(world.sandbox, "GetFeedSubmissionResult", "corrupt")):
        run = world.run("getFeedSubmissionResult", world.cfg, body={"feedSubmissionId": feed_id})
    assert run.bodies == [] and isinstance(run.errors[0], ResponseIntegrityError)


@pytest.mark.parametrize("body", [{}, {"feedSubmissionId": "abc"}])
def test_bad_feed_submission_id_is_refused(world, body):
    run = world.run("getFeedSubmissionStatus", world.cfg, body=body)
    assert "feedSubmissionId" in str(run.errors[0])


def test_unknown_feed_submission_is_reported(world):
    run = world.run("getFeedSubmissionStatus", world.cfg, body={"feedSubmissionId": "123456789"})
    assert "no feed submission 123456789" in str(run.errors[0])
