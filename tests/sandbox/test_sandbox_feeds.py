"""Feeds 2009-01-01: MD5 checks, life cycle over sandbox time, real processing reports for good and bad
feeds (validated against Amazon's ProcessingReport XSD), catalogue and order changes, list filters."""

from __future__ import annotations

from pathlib import Path

import mws_sandbox as sandbox_package
import pytest
from defusedxml.ElementTree import fromstring
from lxml import etree
from mws_sandbox import Sandbox
from mws_sandbox.models.feeds import PROCESS_SECONDS, QUEUE_SECONDS

from mws_component.lib.mws.signing import content_md5

from .conftest import FEEDS, Raw, feed_xml, strip_ns

XSD = Path("/work/shared/mws-xsd/amzn-envelope.xsd")
INVENTORY, PRICE = "_POST_INVENTORY_AVAILABILITY_DATA_", "_POST_PRODUCT_PRICING_DATA_"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def inventory(message_id, sku, quantity="5", op=None):
    op_xml = f"<OperationType>{op}</OperationType>" if op else ""
    return (f"<Message><MessageID>{message_id}</MessageID>{op_xml}<Inventory><SKU>{sku}</SKU>"
            f"<Quantity>{quantity}</Quantity></Inventory></Message>")


def price(message_id, sku, amount, currency="USD"):
    return (f"<Message><MessageID>{message_id}</MessageID><Price><SKU>{sku}</SKU>"
            f'<StandardPrice currency="{currency}">{amount}</StandardPrice></Price></Message>')


def feed_id(resp) -> str:
    assert resp.status == 200, resp.body
    return resp.text("SubmitFeedResult/FeedSubmissionInfo/FeedSubmissionId")


def result(raw: Raw, fid: str):
    return raw.call(FEEDS, "GetFeedSubmissionResult", {"FeedSubmissionId": fid})


def processed(raw: Raw, feed: bytes, feed_type: str = INVENTORY):
    """Submit, let sandbox time pass until done, fetch the report; returns (feed id, report root)."""
    fid = feed_id(raw.submit_feed(feed, feed_type))
    raw.clock.advance(PROCESS_SECONDS)
    resp = result(raw, fid)
    assert resp.status == 200, resp.body
    return fid, resp.xml.find("Message/ProcessingReport")


def results(report) -> list[tuple]:
    return [(int(r.findtext("MessageID")), r.findtext("ResultCode"), int(r.findtext("ResultMessageCode")),
             r.findtext("AdditionalInfo/SKU")) for r in report.findall("Result")]


def summary(report) -> tuple[int, int, int, int]:
    s = report.find("ProcessingSummary")
    return tuple(int(s.findtext(n)) for n in ("MessagesProcessed", "MessagesSuccessful", "MessagesWithError",
                                               "MessagesWithWarning"))


@pytest.fixture
def sku(sandbox) -> str:
    return next(iter(sandbox.catalogue()))


# -- SubmitFeed ----------------------------------------------------------------------------------------

def test_content_md5_missing(raw, sku):
    feed = feed_xml("Inventory", inventory(1, sku))
    resp = raw.call(FEEDS, "SubmitFeed", {"FeedType": INVENTORY}, body=feed, headers={"Content-Type": "text/xml"})
    assert (resp.status, resp.code) == (400, "ContentMD5Missing")


def test_content_md5_value_that_does_not_match(raw, sku):
    feed = feed_xml("Inventory", inventory(1, sku))
    resp = raw.call(FEEDS, "SubmitFeed", {"FeedType": INVENTORY, "ContentMD5Value": content_md5(feed + b" ")},
                    body=feed, headers={"Content-Type": "text/xml"})
    assert (resp.status, resp.code) == (400, "ContentMD5DoesNotMatch")
    assert "did not match the Content-MD5 we calculated" in resp.message


def test_content_md5_header_alone_is_accepted_and_checked(raw, sku):
    feed = feed_xml("Inventory", inventory(1, sku))
    good = raw.call(FEEDS, "SubmitFeed", {"FeedType": INVENTORY}, body=feed,
                    headers={"Content-Type": "text/xml", "Content-MD5": content_md5(feed)})
    bad = raw.call(FEEDS, "SubmitFeed", {"FeedType": INVENTORY}, body=feed,
                   headers={"Content-Type": "text/xml", "Content-MD5": content_md5(b"other")})
    assert good.status == 200 and bad.code == "ContentMD5DoesNotMatch"


def test_submit_feed_rules(raw, sku):
    feed = feed_xml("Inventory", inventory(1, sku))
    assert raw.submit_feed(feed, "_POST_NOTHING_").code == "InvalidFeedType"
    assert raw.submit_feed(feed, **{"MarketplaceIdList.Id.1": "A1PA6795UKMFR9"}).code == "InvalidParameterValue"
    get = raw.call(FEEDS, "SubmitFeed", {"FeedType": INVENTORY, "ContentMD5Value": content_md5(b"")}, method="GET")
    assert get.code == "InvalidParameterValue" and "does not support the HTTP GET" in get.message
    assert raw.call(FEEDS, "SubmitFeed", body=feed, headers={"Content-Type": "text/xml"}).code == "InvalidParameterValue"


def test_life_cycle_submitted_in_progress_done(raw, sku, schema):
    feed = feed_xml("Inventory", inventory(1, sku, "7"))
    submitted = raw.submit_feed(feed, **{"MarketplaceIdList.Id.1": "ATVPDKIKX0DER"})
    info = submitted.xml.find("SubmitFeedResult/FeedSubmissionInfo")
    fid = info.findtext("FeedSubmissionId")
    assert fid.isdigit() and len(fid) >= 11
    assert (info.findtext("FeedType"), info.findtext("FeedProcessingStatus")) == (INVENTORY, "_SUBMITTED_")
    assert info.findtext("SubmittedDate") == "2023-11-14T22:13:20+00:00"

    not_ready = result(raw, fid)
    assert (not_ready.status, not_ready.code) == (404, "FeedProcessingResultNotReady")
    assert not_ready.message == f"Feed Submission Result is not ready for Feed {fid}"

    def status():
        listed = raw.call(FEEDS, "GetFeedSubmissionList", {"FeedSubmissionIdList.Id.1": fid})
        return listed.xml.find("GetFeedSubmissionListResult/FeedSubmissionInfo")

    raw.clock.advance(QUEUE_SECONDS)
    now = status()
    assert now.findtext("FeedProcessingStatus") == "_IN_PROGRESS_" and now.findtext("StartedProcessingDate")
    assert result(raw, fid).code == "FeedProcessingResultNotReady"
    raw.clock.advance(PROCESS_SECONDS - QUEUE_SECONDS)
    done = status()
    assert done.findtext("FeedProcessingStatus") == "_DONE_" and done.findtext("CompletedProcessingDate")

    report = result(raw, fid)
    assert report.status == 200
    assert report.headers["content-md5"] == content_md5(report.body)
    assert report.headers["x-amz-request-id"] == report.headers["x-mws-request-id"]
    parsed = etree.fromstring(report.body, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    schema.assertValid(parsed)
    body = report.xml.find("Message/ProcessingReport")
    assert body.findtext("DocumentTransactionID") == fid and body.findtext("StatusCode") == "Complete"
    assert summary(body) == (1, 1, 0, 0) and results(body) == []


def test_accepted_changes_reach_the_catalogue_only_when_done(raw, sandbox, sku):
    other = list(sandbox.catalogue())[1]
    fid = feed_id(raw.submit_feed(feed_xml("Inventory", inventory(1, sku, "42"), inventory(2, other, "0"))))
    assert sandbox.catalogue()[sku]["quantity"] != 42 or sandbox.catalogue()[other]["quantity"] != 0
    raw.clock.advance(PROCESS_SECONDS)
    catalogue = sandbox.catalogue()
    assert (catalogue[sku]["quantity"], catalogue[other]["quantity"]) == (42, 0)
    assert summary(result(raw, fid).xml.find("Message/ProcessingReport")) == (2, 2, 0, 0)


def test_price_feed_updates_price_and_currency(raw, sandbox, sku):
    _, report = processed(raw, feed_xml("Price", price(1, sku, "19.95", "CAD")), PRICE)
    assert results(report) == []
    assert (sandbox.catalogue()[sku]["price"], sandbox.catalogue()[sku]["currency"]) == ("19.95", "CAD")


# -- bad feeds -----------------------------------------------------------------------------------------

def test_malformed_xml_is_a_fatal_6001_for_message_zero(raw, schema):
    fid, report = processed(raw, b"<AmazonEnvelope><Header></AmazonEnvelop>")
    assert summary(report) == (0, 0, 1, 0)
    assert results(report) == [(0, "Error", 6001, None)]
    assert report.findtext("Result/ResultDescription").startswith("XML Parsing Fatal Error at Line 1, Column")
    schema.assertValid(etree.fromstring(result(raw, fid).body, etree.XMLParser(resolve_entities=False,
                                                                               no_network=True, load_dtd=False)))


def test_entity_expansion_is_refused_not_processed(raw):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<AmazonEnvelope>&b;</AmazonEnvelope>")
    _, report = processed(raw, bomb)
    assert results(report) == [(0, "Error", 6001, None)]
    assert "EntitiesForbidden" in report.findtext("Result/ResultDescription")


@pytest.mark.parametrize(("feed", "fragment"), [
    (b"<Envelope/>", "root element is Envelope"),
    (b"<AmazonEnvelope><MessageType>Inventory</MessageType><Message/></AmazonEnvelope>", "no Header"),
    (feed_xml("Price", price(1, "X", "1.00")), "does not match FeedType _POST_INVENTORY_AVAILABILITY_DATA_"),
    (feed_xml("Inventory"), "holds no Message"),
    (feed_xml("Inventory", "<Bogus/>", inventory(1, "X")), "Element Bogus is not allowed"),
    (feed_xml("Inventory", inventory(1, "X"), merchant=""), "MerchantIdentifier is empty"),
])
def test_envelope_problems_stop_the_whole_feed(raw, feed, fragment):
    _, report = processed(raw, feed)
    assert summary(report)[0] == 0
    assert [r[:3] for r in results(report)] and all(r[:3] == (0, "Error", 5001) for r in results(report))
    assert any(fragment in r.findtext("ResultDescription") for r in report.findall("Result"))


def test_message_problems_are_reported_per_message(raw, sandbox, sku):
    good = list(sandbox.catalogue())[2]
    feed = feed_xml(
        "Inventory",
        inventory(1, good, "11"),
        inventory(2, "NO-SUCH-SKU", "3"),
        inventory(2, good, "12"),  # duplicate MessageID
        inventory(3, sku, "-1"),
        inventory(4, sku, "1", op="Upsert"),
        inventory(5, sku, "1", op="PartialUpdate"),
        f"<Message><MessageID>6</MessageID><Inventory><SKU>{sku}</SKU></Inventory></Message>",
        f"<Message><MessageID>7</MessageID><Price><SKU>{sku}</SKU></Price></Message>",
        f"<Message><MessageID>x</MessageID><Inventory><SKU>{sku}</SKU><Quantity>1</Quantity></Inventory></Message>",
    )
    _, report = processed(raw, feed)
    found = results(report)
    assert (2, "Error", 13013, "NO-SUCH-SKU") in found
    assert {r[0] for r in found} == {0, 2, 3, 4, 5, 6, 7}
    assert all(r[1] == "Error" for r in found)
    assert summary(report) == (9, 2, 7, 0)
    assert sandbox.catalogue()[good]["quantity"] == 11  # message 1 applied, the duplicate was not


def test_identical_update_is_skipped_with_warning_5000(raw, sku):
    first, _ = processed(raw, feed_xml("Inventory", inventory(1, sku, "9")))
    _, report = processed(raw, feed_xml("Inventory", inventory(1, sku, "9")))
    assert results(report) == [(1, "Warning", 5000, sku)]
    assert f"identical to the update in feed '{first}'" in report.findtext("Result/ResultDescription")
    assert summary(report) == (1, 1, 0, 1)


def test_feed_validator_hook_adds_xsd_style_errors():
    seen = []

    def validator(message_type, message):
        seen.append((message_type, message.tag, message.findtext("MessageID")))
        return ["cvc-pattern-valid: SKU is too long"] if message.findtext("MessageID") == "2" else []

    from mws_component.lib.mws.clock import ManualClock

    clock = ManualClock(1_700_000_000)
    sandbox = Sandbox(clock, seed=3, feed_validator=validator)
    raw = Raw(sandbox.handle, sandbox.credentials("http://h"), clock, "h")
    skus = list(sandbox.catalogue())
    _, report = processed(raw, feed_xml("Inventory", inventory(1, skus[0], "1"), inventory(2, skus[1], "2")))
    assert seen == [("Inventory", "Message", "1"), ("Inventory", "Message", "2")]
    assert results(report) == [(2, "Error", 5001, None)]
    assert report.findtext("Result/ResultDescription") == "cvc-pattern-valid: SKU is too long"
    assert sandbox.catalogue()[skus[1]]["quantity"] != 2 or sandbox.catalogue()[skus[0]]["quantity"] == 1


def test_projects_xsd_rules_plug_into_the_hook():
    from mws_component.lib.feeds.xml_check import validate_message
    from mws_component.lib.mws.clock import ManualClock

    clock = ManualClock(1_700_000_000)
    sandbox = Sandbox(clock, seed=3, feed_validator=validate_message)
    raw = Raw(sandbox.handle, sandbox.credentials("http://h"), clock, "h")
    sku = next(iter(sandbox.catalogue()))
    bad = (f"<Message><MessageID>2</MessageID><Inventory><SKU>{sku}</SKU><Quantity>4</Quantity><Colour>red</Colour>"
           "</Inventory></Message>")
    _, report = processed(raw, feed_xml("Inventory", inventory(1, sku, "3"), bad))
    assert [r[:3] for r in results(report)] == [(2, "Error", 5001)]
    assert "Inventory/Colour" in report.findtext("Result/ResultDescription")
    assert sandbox.catalogue()[sku]["quantity"] == 3


def test_iso_8859_1_feed_with_umlauts_is_read(raw, sandbox):
    product = ('<?xml version="1.0" encoding="iso-8859-1"?><AmazonEnvelope><Header><DocumentVersion>1.01'
               "</DocumentVersion><MerchantIdentifier>M</MerchantIdentifier></Header><MessageType>Product"
               "</MessageType><Message><MessageID>1</MessageID><OperationType>Update</OperationType><Product>"
               "<SKU>NEW-MUG</SKU><DescriptionData><Title>Kaffeebecher Größe L</Title><Brand>Müller</Brand>"
               "</DescriptionData></Product></Message></AmazonEnvelope>").encode("iso-8859-1")
    _, report = processed(raw, product, "_POST_PRODUCT_DATA_")
    assert results(report) == []
    assert sandbox.catalogue()["NEW-MUG"]["title"] == "Kaffeebecher Größe L"


# -- values the XSDs accept and Amazon refuses when it processes the feed -----------------------------------

def price_message(message_id, sku, body):
    return f"<Message><MessageID>{message_id}</MessageID><Price><SKU>{sku}</SKU>{body}</Price></Message>"


def sale(start, end, amount="5.00"):
    return (f"<Sale><StartDate>{start}</StartDate><EndDate>{end}</EndDate>"
            f'<SalePrice currency="USD">{amount}</SalePrice></Sale>')


def descriptions(report) -> dict[int, str]:
    return {int(r.findtext("MessageID")): r.findtext("ResultDescription") for r in report.findall("Result")}


def test_price_feed_built_elsewhere_gets_amazons_processing_errors(raw, sandbox, schema):
    skus = list(sandbox.catalogue())[:7]
    before = {s: sandbox.catalogue()[s]["price"] for s in skus}
    limits = ('<MinimumSellerAllowedPrice currency="USD">10.00</MinimumSellerAllowedPrice>'
              '<MaximumSellerAllowedPrice currency="USD">9.99</MaximumSellerAllowedPrice>')
    feed = feed_xml(
        "Price",
        price(1, skus[0], "12.00"),
        price(2, skus[1], "-1.00"),
        price(3, skus[2], "0"),
        price_message(4, skus[3], sale("2024-07-01T00:00:00Z", "2024-06-30T23:59:59Z")),
        price_message(5, skus[4], limits),
        price_message(6, skus[5], '<MAP currency="USD">-5</MAP>' + sale("2024-07-01T00:00:00Z", "2024-07-08T00:00:00Z",
                                                                         "0.00")),
        price_message(7, skus[6], sale("2024-07-01T00:00:00Z", "2024-07-31T00:00:00Z")),
    )
    fid, report = processed(raw, feed, PRICE)
    schema.assertValid(etree.fromstring(result(raw, fid).body, etree.XMLParser(resolve_entities=False,
                                                                               no_network=True, load_dtd=False)))
    assert results(report) == [(2, "Error", 90114, skus[1]), (3, "Error", 90114, skus[2]),
                               (4, "Error", 99021, skus[3]), (5, "Error", 99022, skus[4]),
                               (6, "Error", 90114, skus[5]), (6, "Error", 90114, skus[5])]
    assert summary(report) == (7, 2, 5, 0)
    found = [r.findtext("ResultDescription") for r in report.findall("Result")]
    assert "'-1.00' for StandardPrice is lower than the minimum allowed value" in found[0]
    assert "'0' for StandardPrice" in found[1]
    assert "Sale/EndDate '2024-06-30T23:59:59Z' is not after Sale/StartDate '2024-07-01T00:00:00Z'" in found[2]
    assert "MaximumSellerAllowedPrice '9.99' is lower than MinimumSellerAllowedPrice '10.00'" in found[3]
    assert "'-5' for MAP" in found[4] and "'0.00' for Sale/SalePrice" in found[5]
    catalogue = sandbox.catalogue()
    assert catalogue[skus[0]]["price"] == "12.00" and catalogue[skus[6]]["salePrice"] == "5.00"
    assert all(catalogue[s]["price"] == before[s] for s in skus[1:6])


def test_image_urls_must_be_absolute_http_urls_with_a_host(raw, sandbox):
    skus = list(sandbox.catalogue())[:5]

    def image(message_id, sku, location):
        return (f"<Message><MessageID>{message_id}</MessageID><ProductImage><SKU>{sku}</SKU><ImageType>Main"
                f"</ImageType><ImageLocation>{location}</ImageLocation></ProductImage></Message>")

    feed = feed_xml("ProductImage", image(1, skus[0], "javascript:alert(1)"), image(2, skus[1], "file:///etc/passwd"),
                    image(3, skus[2], "https:///a.jpg"), image(4, skus[3], "HTTPS://images.example.com:8443/a.jpg"),
                    image(5, skus[4], "images/a.jpg"))
    _, report = processed(raw, feed, "_POST_PRODUCT_IMAGE_DATA_")
    assert results(report) == [(n, "Error", 15, skus[n - 1]) for n in (1, 2, 3, 5)]
    assert descriptions(report)[1].startswith("Invalid image URL 'javascript:alert(1)' in ImageLocation.")
    assert "file:///etc/passwd" in descriptions(report)[2] and "http:// or https://" in descriptions(report)[3]
    catalogue = sandbox.catalogue()
    assert catalogue[skus[3]]["images"] == {"Main": "HTTPS://images.example.com:8443/a.jpg"}
    assert all(not catalogue[s]["images"] for s in (skus[0], skus[1], skus[2], skus[4]))


def test_product_feed_msrp_and_enhanced_image_urls(raw, sandbox):
    def product_with(message_id, sku, description="", after=""):
        return (f"<Message><MessageID>{message_id}</MessageID><OperationType>Update</OperationType><Product>"
                f"<SKU>{sku}</SKU><DescriptionData><Title>Mug</Title>{description}</DescriptionData>{after}"
                "</Product></Message>")

    feed = feed_xml("Product",
                    product_with(1, "MUG-1", '<MSRP currency="USD">0</MSRP>'),
                    product_with(2, "MUG-2", after="<EnhancedImageURL>https://images.example.com/a.jpg</EnhancedImageURL>"
                                                   "<EnhancedImageURL>javascript:alert(1)</EnhancedImageURL>"),
                    product_with(3, "MUG-3", '<MSRP currency="USD">12.50</MSRP>',
                                 "<EnhancedImageURL>http://images.example.com/b.jpg</EnhancedImageURL>"))
    _, report = processed(raw, feed, "_POST_PRODUCT_DATA_")
    assert results(report) == [(1, "Error", 90114, "MUG-1"), (2, "Error", 15, "MUG-2")]
    assert "'0' for DescriptionData/MSRP" in descriptions(report)[1]
    assert "'javascript:alert(1)' in EnhancedImageURL" in descriptions(report)[2]
    assert "MUG-3" in sandbox.catalogue() and not {"MUG-1", "MUG-2"} & set(sandbox.catalogue())


def test_processing_checks_are_the_sandboxs_own_code():
    """The sandbox is an oracle of Amazon: its processing checks must not come from lib.feeds."""
    for module in Path(sandbox_package.__file__).parent.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "lib.feeds.processing" not in text and "check_processing" not in text, module


# -- products, images, relationships, orders -------------------------------------------------------------

def product(message_id, sku, title="", op="Update"):
    title_xml = f"<DescriptionData><Title>{title}</Title></DescriptionData>" if title else ""
    return (f"<Message><MessageID>{message_id}</MessageID><OperationType>{op}</OperationType><Product><SKU>{sku}"
            f"</SKU>{title_xml}</Product></Message>")


def test_products_create_then_price_then_delete(raw, sandbox):
    _, report = processed(raw, feed_xml("Product", product(1, "P-1", "Parent"), product(2, "C-1", "Child"),
                                        product(3, "NO-TITLE")), "_POST_PRODUCT_DATA_")
    assert results(report) == [(3, "Error", 8560, "NO-TITLE")]
    assert {"P-1", "C-1"} <= set(sandbox.catalogue()) and "NO-TITLE" not in sandbox.catalogue()
    _, report = processed(raw, feed_xml("Price", price(1, "C-1", "5.00")), PRICE)
    assert results(report) == [] and sandbox.catalogue()["C-1"]["price"] == "5.00"
    relation = ("<Message><MessageID>1</MessageID><Relationship><ParentSKU>P-1</ParentSKU><Relation><SKU>C-1</SKU>"
                "<Type>Variation</Type></Relation><Relation><SKU>GHOST</SKU><Type>Variation</Type></Relation>"
                "</Relationship></Message>")
    _, report = processed(raw, feed_xml("Relationship", relation), "_POST_PRODUCT_RELATIONSHIP_DATA_")
    assert results(report) == [(1, "Error", 13013, "GHOST")]
    image = ("<Message><MessageID>1</MessageID><ProductImage><SKU>C-1</SKU><ImageType>Main</ImageType>"
             "<ImageLocation>https://example.com/c1.jpg</ImageLocation></ProductImage></Message>")
    _, report = processed(raw, feed_xml("ProductImage", image), "_POST_PRODUCT_IMAGE_DATA_")
    assert results(report) == [] and sandbox.catalogue()["C-1"]["images"] == {"Main": "https://example.com/c1.jpg"}
    _, report = processed(raw, feed_xml("Product", product(1, "C-1", op="Delete")), "_POST_PRODUCT_DATA_")
    assert results(report) == [] and "C-1" not in sandbox.catalogue()


def test_image_relationship_and_override_need_known_skus(raw):
    image = ("<Message><MessageID>1</MessageID><ProductImage><SKU>GHOST</SKU><ImageType>Main</ImageType>"
             "<ImageLocation>https://example.com/x.jpg</ImageLocation></ProductImage></Message>")
    _, report = processed(raw, feed_xml("ProductImage", image), "_POST_PRODUCT_IMAGE_DATA_")
    assert results(report) == [(1, "Error", 13013, "GHOST")]
    override = "<Message><MessageID>1</MessageID><Override><SKU>GHOST</SKU></Override></Message>"
    _, report = processed(raw, feed_xml("Override", override), "_POST_PRODUCT_OVERRIDES_DATA_")
    assert results(report) == [(1, "Error", 13013, "GHOST")]


def test_order_feeds_change_orders_and_name_unknown_ones(raw, sandbox):
    truth = sandbox.orders_truth()
    unshipped = next(o for o in truth if o["orderStatus"] == "Unshipped")
    pending = next(o for o in truth if o["orderStatus"] == "Pending")
    ack = (f"<Message><MessageID>1</MessageID><OrderAcknowledgement><AmazonOrderID>{pending['amazonOrderId']}"
           "</AmazonOrderID><StatusCode>Failure</StatusCode></OrderAcknowledgement></Message>"
           "<Message><MessageID>2</MessageID><OrderAcknowledgement><AmazonOrderID>111-0000000-0000000"
           "</AmazonOrderID><StatusCode>Success</StatusCode></OrderAcknowledgement></Message>")
    _, report = processed(raw, feed_xml("OrderAcknowledgement", ack), "_POST_ORDER_ACKNOWLEDGEMENT_DATA_")
    assert [(r.findtext("MessageID"), r.findtext("ResultMessageCode"), r.findtext("AdditionalInfo/AmazonOrderID"))
            for r in report.findall("Result")] == [("2", "18028", "111-0000000-0000000")]
    ship = (f"<Message><MessageID>1</MessageID><OrderFulfillment><AmazonOrderID>{unshipped['amazonOrderId']}"
            "</AmazonOrderID><FulfillmentDate>2023-11-14T20:00:00Z</FulfillmentDate></OrderFulfillment></Message>")
    _, report = processed(raw, feed_xml("OrderFulfillment", ship), "_POST_ORDER_FULFILLMENT_DATA_")
    assert results(report) == []
    after = {o["amazonOrderId"]: o for o in sandbox.orders_truth()}
    assert after[pending["amazonOrderId"]]["orderStatus"] == "Canceled"
    assert after[unshipped["amazonOrderId"]]["orderStatus"] == "Shipped"
    assert after[unshipped["amazonOrderId"]]["lastUpdateDate"] > unshipped["lastUpdateDate"]


def test_flat_file_feed_gets_a_tab_delimited_report(raw, sandbox, sku):
    body = f"sku\tprice\tquantity\n{sku}\t12.50\t3\nGHOST\t1.00\t1\n".encode("iso-8859-1")
    resp = raw.call(FEEDS, "SubmitFeed", {"FeedType": "_POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA_",
                                          "ContentMD5Value": content_md5(body)}, body=body,
                    headers={"Content-Type": "text/tab-separated-values; charset=iso-8859-1"})
    raw.clock.advance(PROCESS_SECONDS)
    report = result(raw, feed_id(resp))
    assert report.headers["content-type"].startswith("text/plain")
    assert report.headers["content-md5"] == content_md5(report.body)
    text = report.body.decode()
    assert "Number of records processed\t\t2" in text and "Number of records successful\t\t1" in text
    assert "2\tGHOST\t13013\tError\t" in text
    assert (sandbox.catalogue()[sku]["price"], sandbox.catalogue()[sku]["quantity"]) == ("12.50", 3)


# -- listing, counting, cancelling ----------------------------------------------------------------------

def test_list_filters_paging_count_and_cancel(raw, sku):
    ids = [feed_id(raw.submit_feed(feed_xml("Inventory", inventory(1, sku, str(n))))) for n in range(3)]
    raw.clock.advance(PROCESS_SECONDS)
    ids += [feed_id(raw.submit_feed(feed_xml("Price", price(1, sku, f"{n}.99")), PRICE)) for n in range(2)]

    listed = raw.call(FEEDS, "GetFeedSubmissionList", {"MaxCount": "2"})
    page = listed.xml.find("GetFeedSubmissionListResult")
    assert page.findtext("HasNext") == "true" and [i.findtext("FeedSubmissionId") for i in
                                                    page.findall("FeedSubmissionInfo")] == ids[::-1][:2]
    rest, token = [], page.findtext("NextToken")
    while token:
        nxt = raw.call(FEEDS, "GetFeedSubmissionListByNextToken", {"NextToken": token})
        result_node = nxt.xml.find("GetFeedSubmissionListByNextTokenResult")
        rest += [i.findtext("FeedSubmissionId") for i in result_node.findall("FeedSubmissionInfo")]
        token = result_node.findtext("NextToken")
        assert result_node.findtext("HasNext") == ("true" if token else "false")
    assert rest == ids[::-1][2:]

    done = raw.call(FEEDS, "GetFeedSubmissionList", {"FeedProcessingStatusList.Status.1": "_DONE_"})
    assert len(done.all("GetFeedSubmissionListResult/FeedSubmissionInfo")) == 3
    by_type = raw.call(FEEDS, "GetFeedSubmissionCount", {"FeedTypeList.Type.1": PRICE})
    assert by_type.text("GetFeedSubmissionCountResult/Count") == "2"
    assert raw.call(FEEDS, "GetFeedSubmissionList", {"MaxCount": "101"}).code == "InvalidParameterValue"
    assert raw.call(FEEDS, "GetFeedSubmissionList",
                    {"FeedProcessingStatusList.Status.1": "_LOST_"}).code == "InvalidParameterValue"

    cancelled = raw.call(FEEDS, "CancelFeedSubmissions", {"FeedSubmissionIdList.Id.1": ids[0],
                                                          "FeedSubmissionIdList.Id.2": ids[4]})
    statuses = {i.findtext("FeedSubmissionId"): i.findtext("FeedProcessingStatus")
                for i in cancelled.all("CancelFeedSubmissionsResult/FeedSubmissionInfo")}
    assert statuses == {ids[0]: "_DONE_", ids[4]: "_CANCELLED_"}
    assert cancelled.text("CancelFeedSubmissionsResult/Count") == "2"
    assert result(raw, ids[4]).code == "FeedCanceled"
    assert result(raw, "123").code == "InvalidFeedSubmissionId"


def test_another_sellers_feeds_are_invisible(raw, other_raw, sku):
    fid = feed_id(raw.submit_feed(feed_xml("Inventory", inventory(1, sku))))
    assert other_raw.call(FEEDS, "GetFeedSubmissionCount").text("GetFeedSubmissionCountResult/Count") == "0"
    assert result(other_raw, fid).code == "InvalidFeedSubmissionId"


def test_feeds_listing_in_the_scenario_api_shows_content_and_report(raw, sandbox, sku):
    feed = feed_xml("Inventory", inventory(1, "GHOST"))
    fid = feed_id(raw.submit_feed(feed))
    listed = sandbox.feeds()
    assert listed[-1]["feedSubmissionId"] == fid and listed[-1]["status"] == "_SUBMITTED_"
    assert listed[-1]["content"] == feed.decode() and listed[-1]["report"] is None
    raw.clock.advance(PROCESS_SECONDS)
    report = sandbox.feeds()[-1]["report"]
    assert report["withError"] == 1 and report["results"][0]["resultMessageCode"] == 13013


def test_report_body_is_well_formed_for_defusedxml(raw, sku):
    fid, _ = processed(raw, feed_xml("Inventory", inventory(1, "A&amp;B &lt;odd&gt;")))
    root = strip_ns(fromstring(result(raw, fid).body))
    assert root.findtext("Message/ProcessingReport/Result/AdditionalInfo/SKU") == "A&B <odd>"
