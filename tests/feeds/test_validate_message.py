"""validate_message: the sandbox's check of one parsed <Message>, with XML paths and XSD semantics."""

from __future__ import annotations

import pytest
from lxml import etree

from mws_component.lib.feeds import build_feed, validate_message


def _message(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def test_built_messages_are_clean():
    feed = build_feed("price", {"sku": "S", "standardPrice": {"value": "1.5", "currency": "USD"}}, merchant_id="M")
    message = etree.fromstring(feed.xml).find("Message")
    assert validate_message("Price", message) == []
    assert validate_message("Price", message.find("Price")) == []


@pytest.mark.parametrize(
    ("message_type", "xml", "expected"),
    [
        ("Inventory", b"<Inventory><SKU>A</SKU><Quantity>-1</Quantity></Inventory>",
         ["Inventory/Quantity: -1 is too small; it must be at least 0"]),
        ("Inventory", b"<Inventory><Quantity>1</Quantity><SKU>A</SKU></Inventory>",
         ["Inventory/SKU: must come before Quantity (schema order)"]),
        ("Inventory", b"<Inventory><SKU>A</SKU></Inventory>",
         ["Inventory/(Available|Quantity|Lookup): required: give one of Available, Quantity, Lookup"]),
        ("Inventory", b"<Inventory><SKU>A</SKU><Quantity>1</Quantity><Colour>red</Colour></Inventory>",
         ["Inventory/Colour: is not allowed here; allowed: SKU, FulfillmentCenterID, Available, Quantity, Lookup, "
          "RestockDate, FulfillmentLatency, SwitchFulfillmentTo"]),
        ("Inventory", b"<Inventory><SKU>A</SKU><SKU>B</SKU><Quantity>1</Quantity></Inventory>",
         ["Inventory/SKU: appears more than once; only one is allowed"]),
        ("Inventory", b"<Inventory><SKU>A</SKU><Quantity/></Inventory>",
         ["Inventory/Quantity: expected a whole number, got text ''"]),
        ("Price", b'<Price><SKU>A</SKU><StandardPrice currency="XXX">1</StandardPrice></Price>',
         ["Price/StandardPrice/@currency: 'XXX' is not an allowed value; use one of: USD, GBP, EUR, JPY, CAD, CNY, "
          "INR, AUD, BRL, MXN, DEFAULT"]),
        ("Price", b"<Price><SKU>A</SKU><StandardPrice>1</StandardPrice></Price>",
         ["Price/StandardPrice/@currency: required (the currency attribute); use one of: USD, GBP, EUR, JPY, CAD, "
          "CNY, INR, AUD, BRL, MXN, DEFAULT"]),
        ("Price", b'<Price><SKU>A</SKU><StandardPrice currency="USD" tax="1">1</StandardPrice></Price>',
         ["Price/StandardPrice/@tax: is not an attribute of this element"]),
        ("Relationship", b"<Relationship><ParentSKU>P</ParentSKU></Relationship>",
         ["Relationship/Relation: required (Relation)"]),
        ("ProductImage", b"<ProductImage><SKU>A</SKU><ImageType>Main</ImageType>text</ProductImage>",
         ["ProductImage: holds text; only child elements are allowed here"]),
        ("ProductImage", b"<ProductImage><SKU>A<b/></SKU><ImageType>Main</ImageType></ProductImage>",
         ["ProductImage/SKU: holds child elements; a text value is expected"]),
    ],
)
def test_problems_use_xml_paths(message_type, xml, expected):
    assert validate_message(message_type, etree.fromstring(xml)) == expected


def test_xsd_whitespace_semantics_not_trimming():
    """XML text is judged as a schema validator would: spaces count in a normalizedString, tokens collapse."""
    padded = "<Inventory><SKU>{}</SKU><Quantity> 5 </Quantity></Inventory>"
    assert validate_message("Inventory", etree.fromstring(padded.format(" " * 2 + "A" * 37 + " ").encode())) == []
    too_long = validate_message("Inventory", etree.fromstring(padded.format(" " * 2 + "A" * 38 + " ").encode()))
    assert too_long == ["Inventory/SKU: is 41 characters long; at most 40 allowed"]


def test_message_wrapper_and_mismatched_type():
    message = etree.fromstring(b"<Message><MessageID>1</MessageID><OperationType>Update</OperationType>"
                               b"<Inventory><SKU>A</SKU><Quantity>1</Quantity></Inventory></Message>")
    assert validate_message("Inventory", message) == []
    assert validate_message("Price", message) == ["Message: MessageType is Price but the message holds <Inventory>"]
    empty = etree.fromstring(b"<Message><MessageID>1</MessageID></Message>")
    assert validate_message("Inventory", empty) == ["Message: holds no payload element"]


def test_unsupported_message_type_is_reported_not_raised():
    element = etree.fromstring(b"<Store><Name>x</Name></Store>")
    assert validate_message("Store", element) == ["Store: this validator has no rules for MessageType Store"]


def test_order_feeds_are_checked_too():
    good = b"<OrderAcknowledgement><AmazonOrderID>123-1234567-1234567</AmazonOrderID><StatusCode>Success</StatusCode>" \
           b"</OrderAcknowledgement>"
    assert validate_message("OrderAcknowledgement", etree.fromstring(good)) == []
    bad = good.replace(b"Success", b"Done").replace(b"123-1234567-1234567", b"123")
    problems = validate_message("OrderAcknowledgement", etree.fromstring(bad))
    assert problems == [
        "OrderAcknowledgement/AmazonOrderID: '123' does not have the required form \\w{3}-\\w{7}-\\w{7}",
        "OrderAcknowledgement/StatusCode: 'Done' is not an allowed value; use one of: Success, Failure",
    ]


def test_comments_and_namespaced_attributes_are_ignored():
    xml = (b'<Inventory xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="x"><!-- note -->'
           b"<SKU>A</SKU><?pi x?><Quantity>1</Quantity></Inventory>")
    assert validate_message("Inventory", etree.fromstring(xml)) == []


def test_any_type_elements_take_any_content(xsd_accepts):
    from .samples import category_rule, sample

    wine = sample(category_rule("WineAndAlcohol"), full=False, branch=2)
    assert wine["productType"] == {"beer": {}}
    document = etree.fromstring(build_feed("product", {"sku": "W", "productData": {"wineAndAlcohol": wine}},
                                           merchant_id="M").xml)
    beer = document.find(".//Beer")
    etree.SubElement(beer, "Hops").text = "yes"
    assert xsd_accepts(etree.tostring(document))
    assert validate_message("Product", document.find("Message")) == []
