"""A corpus of bad inputs: each is refused before anything is built or sent, naming item, field and rule."""

from __future__ import annotations

import pytest
from lxml import etree

from mws_component.lib.feeds import FeedValidationError, build_feed, builder, validate_message

INV = {"sku": "A-1", "quantity": 1}
PRICE = {"sku": "P-1", "standardPrice": {"value": "19.99", "currency": "USD"}}
PRODUCT = {"sku": "B-1", "descriptionData": {"title": "Lipstick"},
           "productData": {"beauty": {"productType": {"beautyMisc": {}}}}}


def _with(base: dict, **changes) -> dict:
    item = {**base, **changes}
    return {k: v for k, v in item.items() if v is not ...}


# (id, kind, items, options, expected path, expected rule, words the message must contain)
CORPUS = [
    ("missing-sku", "inventory", [_with(INV, sku=...)], {}, "items[0].sku", "required", ["SKU"]),
    ("null-sku", "inventory", [_with(INV, sku=None)], {}, "items[0].sku", "required", ["SKU"]),
    ("blank-sku", "inventory", [_with(INV, sku="   ")], {}, "items[0].sku", "minLength", ["empty"]),
    ("missing-parent-sku", "relationship", [{"relation": [{"sku": "c", "type": "Variation"}]}], {},
     "items[0].parentSku", "required", ["ParentSKU"]),
    ("negative-quantity", "inventory", [_with(INV, quantity=-1)], {}, "items[0].quantity", "minInclusive", ["-1", "0"]),
    ("zero-latency", "inventory", [_with(INV, fulfillmentLatency=0)], {}, "items[0].fulfillmentLatency",
     "minInclusive", ["at least 1"]),
    ("fractional-quantity", "inventory", [_with(INV, quantity=2.5)], {}, "items[0].quantity", "type", ["whole number"]),
    ("text-quantity", "inventory", [_with(INV, quantity="lots")], {}, "items[0].quantity", "type", ["'lots'"]),
    ("bool-quantity", "inventory", [_with(INV, quantity=True)], {}, "items[0].quantity", "type", ["boolean"]),
    ("no-availability", "inventory", [{"sku": "A"}], {}, "items[0].{available,quantity,lookup}", "choice",
     ["available", "quantity", "lookup"]),
    ("two-availabilities", "inventory", [_with(INV, available=True)], {}, "items[0].{available,quantity}", "choice",
     ["only one"]),
    ("yes-is-not-boolean", "inventory", [{"sku": "A", "available": "yes"}], {}, "items[0].available", "type",
     ["true or false"]),
    ("bad-date", "inventory", [_with(INV, restockDate="31/05/2024")], {}, "items[0].restockDate", "type", ["2024-05-31"]),
    ("impossible-date", "inventory", [_with(INV, restockDate="2024-02-30")], {}, "items[0].restockDate", "type", []),
    ("wrong-enum", "inventory", [_with(INV, switchFulfillmentTo="FBA")], {}, "items[0].switchFulfillmentTo",
     "enumeration", ["MFN", "AFN"]),
    ("wrong-currency", "price", [_with(PRICE, standardPrice={"value": "1", "currency": "XYZ"})], {},
     "items[0].standardPrice.currency", "enumeration", ["USD", "EUR"]),
    ("lowercase-currency", "price", [_with(PRICE, standardPrice={"value": "1", "currency": "usd"})], {},
     "items[0].standardPrice.currency", "enumeration", ["did you mean 'USD'"]),
    ("missing-currency", "price", [_with(PRICE, standardPrice={"value": "1"})], {},
     "items[0].standardPrice.currency", "required", ["currency"]),
    ("bare-price", "price", [_with(PRICE, standardPrice="19.99")], {}, "items[0].standardPrice", "type",
     ['"value"', '"currency"']),
    ("price-without-value", "price", [_with(PRICE, standardPrice={"currency": "USD"})], {},
     "items[0].standardPrice.value", "required", ["value"]),
    ("too-many-decimals", "price", [_with(PRICE, standardPrice={"value": "1.23456", "currency": "USD"})], {},
     "items[0].standardPrice.value", "fractionDigits", ["4"]),
    ("msrp-two-decimals", "product", [_with(PRODUCT, descriptionData={"title": "T", "msrp": {"value": 1.999, "currency": "USD"}})],
     {}, "items[0].descriptionData.msrp.value", "fractionDigits", ["at most 2"]),
    ("exponent-price", "price", [_with(PRICE, standardPrice={"value": "1e3", "currency": "USD"})], {},
     "items[0].standardPrice.value", "type", ["19.99"]),
    ("nan-price", "price", [_with(PRICE, standardPrice={"value": float("nan"), "currency": "USD"})], {},
     "items[0].standardPrice.value", "type", []),
    ("sale-missing-dates", "price", [_with(PRICE, sale={"salePrice": {"value": 1, "currency": "USD"}})], {},
     "items[0].sale.startDate", "required", ["StartDate"]),
    ("sku-too-long", "inventory", [_with(INV, sku="X" * 41)], {}, "items[0].sku", "maxLength", ["41", "40"]),
    ("title-too-long", "product", [_with(PRODUCT, descriptionData={"title": "T" * 501})], {},
     "items[0].descriptionData.title", "maxLength", ["500"]),
    ("too-many-bullets", "product", [_with(PRODUCT, descriptionData={"title": "T", "bulletPoint": ["b"] * 6})], {},
     "items[0].descriptionData.bulletPoint", "maxOccurs", ["6", "5"]),
    ("empty-bullets", "product", [_with(PRODUCT, descriptionData={"title": "T", "bulletPoint": []})], {},
     "items[0].descriptionData.bulletPoint", "minOccurs", ["empty array"]),
    ("empty-relations", "relationship", [{"parentSku": "p", "relation": []}], {}, "items[0].relation", "minOccurs",
     ["empty array"]),
    ("null-in-array", "product", [_with(PRODUCT, descriptionData={"title": "T", "bulletPoint": ["a", None]})], {},
     "items[0].descriptionData.bulletPoint[1]", "type", ["null"]),
    ("array-for-single", "inventory", [_with(INV, quantity=[1, 2])], {}, "items[0].quantity", "maxOccurs", ["not an array"]),
    ("object-for-text", "inventory", [_with(INV, sku={"value": "A"})], {}, "items[0].sku", "type", ["expected text"]),
    ("text-for-object", "product", [_with(PRODUCT, descriptionData="Lipstick")], {}, "items[0].descriptionData", "type",
     ["expected an object", "title"]),
    ("missing-title", "product", [_with(PRODUCT, descriptionData={"brand": "Acme"})], {}, "items[0].descriptionData.title",
     "required", ["Title"]),
    ("unknown-field", "inventory", [_with(INV, qty=3)], {}, "items[0].qty", "unknownField", ["quantity"]),
    ("xml-name-not-json-name", "inventory", [{"SKU": "A", "quantity": 1}], {}, "items[0].SKU", "unknownField",
     ["did you mean 'sku'"]),
    ("unknown-category-in-item", "product", [_with(PRODUCT, productData={"gardening": {}})], {},
     "items[0].productData.gardening", "unknownField", ["beauty"]),
    ("unknown-category-option", "product", [PRODUCT], {"category": "Gardening"}, "category", "unknownCategory",
     ["Camera & Photo"]),
    ("category-on-inventory", "inventory", [INV], {"category": "Beauty"}, "category", "category", ["only product"]),
    ("other-category-data", "product", [PRODUCT], {"category": "Sports"}, "items[0].productData.beauty", "category",
     ["Sports"]),
    ("control-character", "inventory", [_with(INV, sku="A\x0bB")], {}, "items[0].sku", "xmlCharacter", ["U+000B"]),
    ("nul-character", "product", [_with(PRODUCT, descriptionData={"title": "T\x00"})], {},
     "items[0].descriptionData.title", "xmlCharacter", ["U+0000"]),
    ("lone-surrogate", "inventory", [_with(INV, sku="A\ud800")], {}, "items[0].sku", "xmlCharacter", ["U+D800"]),
    ("url-with-space", "image", [{"sku": "S", "imageType": "Main", "imageLocation": "http://x.com/a b.jpg"}], {},
     "items[0].imageLocation", "anyURI", ["%20"]),
    ("bad-image-type", "image", [{"sku": "S", "imageType": "Front", "imageLocation": "https://x.com/a.jpg"}], {},
     "items[0].imageType", "enumeration", ["Main", "Swatch"]),
    ("bad-relation-type", "relationship", [{"parentSku": "p", "relation": [{"sku": "c", "type": "Sibling"}]}], {},
     "items[0].relation[0].type", "enumeration", ["Variation"]),
    ("bad-unit", "product", [_with(PRODUCT, descriptionData={"title": "T", "packageWeight": {"value": 1, "unitOfMeasure": "stone"}})],
     {}, "items[0].descriptionData.packageWeight.unitOfMeasure", "enumeration", ["KG"]),
    ("unknown-attribute", "price", [_with(PRICE, standardPrice={"value": 1, "currency": "USD", "tax": 1})], {},
     "items[0].standardPrice.tax", "unknownField", ["currency"]),
    ("bad-standard-product-id", "product", [_with(PRODUCT, standardProductId={"type": "SKU", "value": "1234567"})], {},
     "items[0].standardProductId.type", "enumeration", ["UPC", "EAN"]),
    ("short-product-id", "product", [_with(PRODUCT, standardProductId={"type": "UPC", "value": "1234567"})], {},
     "items[0].standardProductId.value", "minLength", ["8"]),
    ("item-not-object", "inventory", ["A-1"], {}, "items[0]", "type", ["object"]),
    ("no-items", "inventory", [], {}, "items", "minOccurs", ["no items"]),
    ("items-not-a-list", "inventory", "A-1", {}, "items", "type", ["array"]),
    ("unknown-operation", "inventory", [INV], {"operation": "Replace"}, "operation", "enumeration", ["PartialUpdate"]),
    ("unknown-kind", "stock", [INV], {}, "kind", "unknownKind", ["inventory"]),
    ("empty-merchant", "inventory", [INV], {"merchant_id": " "}, "merchantId", "required", ["seller id"]),
    ("long-merchant", "inventory", [INV], {"merchant_id": "M" * 51}, "merchantId", "maxLength", ["50"]),
]

# XSD-valid, yet refused by Amazon when it processes the feed (lib.feeds.processing): refused here too.
SALE = {"startDate": "2024-07-01T00:00:00Z", "endDate": "2024-07-31T00:00:00Z", "salePrice": {"value": "5", "currency": "USD"}}
IMAGE = {"sku": "S", "imageType": "Main", "imageLocation": "https://images.example.com/a.jpg"}
PROCESSING_CORPUS = [
    ("negative-price", "price", [_with(PRICE, standardPrice={"value": "-1.00", "currency": "USD"})], {},
     "items[0].standardPrice.value", "positivePrice", ["-1.00", "greater than 0", "90114"]),
    ("zero-price", "price", [_with(PRICE, standardPrice={"value": 0, "currency": "USD"})], {},
     "items[0].standardPrice.value", "positivePrice", ["0 is not a valid price"]),
    ("zero-sale-price", "price", [_with(PRICE, sale={**SALE, "salePrice": {"value": "0.00", "currency": "USD"}})], {},
     "items[0].sale.salePrice.value", "positivePrice", ["0.00"]),
    ("negative-map", "price", [_with(PRICE, map={"value": -5, "currency": "USD"})], {}, "items[0].map.value",
     "positivePrice", ["-5"]),
    ("zero-business-price", "price", [_with(PRICE, businessPrice=0)], {}, "items[0].businessPrice", "positivePrice",
     ["greater than 0"]),
    ("negative-quantity-price", "price", [_with(PRICE, quantityPrice={"quantityPrice1": "-2"})], {},
     "items[0].quantityPrice.quantityPrice1", "positivePrice", ["-2"]),
    ("zero-rental-price-without-tax", "price",
     [_with(PRICE, rental0={"startDate": SALE["startDate"], "endDate": SALE["endDate"],
                            "rentalPrice": {"value": 3, "currency": "USD", "valueWithoutTax": 0}})],
     {}, "items[0].rental0.rentalPrice.valueWithoutTax", "positivePrice", ["greater than 0"]),
    ("text-minimum-price", "price", [_with(PRICE, minimumSellerAllowedPrice={"value": "cheap", "currency": "USD"})], {},
     "items[0].minimumSellerAllowedPrice.value", "amount", ["'cheap'", "9.99"]),
    ("negative-maximum-price", "price", [_with(PRICE, maximumSellerAllowedPrice={"value": "-3", "currency": "USD"})], {},
     "items[0].maximumSellerAllowedPrice.value", "positivePrice", ["-3"]),
    ("maximum-below-minimum", "price", [_with(PRICE, minimumSellerAllowedPrice={"value": "10.00", "currency": "USD"},
                                              maximumSellerAllowedPrice={"value": "9.99", "currency": "USD"})], {},
     "items[0].maximumSellerAllowedPrice.value", "priceRange", ["9.99", "10.00", "at least as high"]),
    ("sale-ends-before-it-starts", "price", [_with(PRICE, sale={**SALE, "endDate": "2024-06-30T23:59:59Z"})], {},
     "items[0].sale.endDate", "endAfterStart", ["2024-06-30T23:59:59Z", "2024-07-01T00:00:00Z", "sale must end"]),
    ("sale-ends-as-it-starts", "price", [_with(PRICE, sale={**SALE, "endDate": "2024-07-01T02:00:00+02:00"})], {},
     "items[0].sale.endDate", "endAfterStart", ["not after"]),
    ("zero-msrp", "product", [_with(PRODUCT, descriptionData={"title": "T", "msrp": {"value": 0, "currency": "USD"}})], {},
     "items[0].descriptionData.msrp.value", "positivePrice", ["greater than 0"]),
    ("javascript-image-url", "image", [_with(IMAGE, imageLocation="javascript:alert(1)")], {}, "items[0].imageLocation",
     "imageUrl", ["'javascript:alert(1)'", "http://", "https://", "result code 15"]),
    ("file-image-url", "image", [_with(IMAGE, imageLocation="file:///srv/images/a.jpg")], {}, "items[0].imageLocation",
     "imageUrl", ["file:///srv/images/a.jpg"]),
    ("hostless-image-url", "image", [_with(IMAGE, imageLocation="https:///a.jpg")], {}, "items[0].imageLocation",
     "imageUrl", ["with a host"]),
    ("relative-image-url", "image", [_with(IMAGE, imageLocation="images/a.jpg")], {}, "items[0].imageLocation",
     "imageUrl", ["absolute"]),
    ("ftp-enhanced-image-url", "product",
     [_with(PRODUCT, enhancedImageUrl=["https://images.example.com/a.jpg", "ftp://images.example.com/b.jpg"])], {},
     "items[0].enhancedImageUrl[1]", "imageUrl", ["ftp://"]),
]


@pytest.mark.parametrize(("kind", "items", "options", "path", "rule", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in CORPUS + PROCESSING_CORPUS])
def test_bad_input_is_refused_naming_the_field(kind, items, options, path, rule, words):
    arguments = {"merchant_id": "A1EXAMPLE", **options}
    with pytest.raises(FeedValidationError) as caught:
        build_feed(kind, items, **arguments)
    problems = caught.value.problems
    found = [p for p in problems if p.path == path]
    assert found, f"no problem at {path}; got {[str(p) for p in problems]}"
    assert found[0].rule == rule, str(found[0])
    for word in words:
        assert word in found[0].message, str(found[0])
    assert path in str(caught.value)
    if path.startswith("items["):
        assert found[0].index == int(path[6:path.index("]")])


def test_every_problem_of_every_item_is_reported_at_once():
    items = [
        {"sku": "ok", "quantity": 1},
        {"quantity": -1},
        {"sku": "X" * 50, "available": "maybe", "restockDate": "soon"},
        {"sku": "ok2", "quantity": 1},
        "not an object",
    ]
    with pytest.raises(FeedValidationError) as caught:
        build_feed("inventory", items, merchant_id="M")
    got = [(p.index, p.path, p.rule) for p in caught.value.problems]
    assert got == [
        (1, "items[1].sku", "required"),
        (1, "items[1].quantity", "minInclusive"),
        (2, "items[2].sku", "maxLength"),
        (2, "items[2].available", "type"),
        (2, "items[2].restockDate", "type"),
        (4, "items[4]", "type"),
    ]
    assert caught.value.field == "items[1].sku"
    assert str(caught.value).startswith("FeedValidationFailed: 6 problems in the inventory items; nothing was sent")


def test_settings_problems_are_reported_together_before_items():
    with pytest.raises(FeedValidationError) as caught:
        build_feed("product", [{"bad": 1}], merchant_id="", operation="Upsertish", category="Nope")
    assert [p.path for p in caught.value.problems] == ["operation", "merchantId", "category"]


def test_long_problem_lists_are_summarised_but_kept_whole():
    items = [{"sku": f"S{i}", "quantity": -i - 1} for i in range(40)]
    with pytest.raises(FeedValidationError) as caught:
        build_feed("inventory", items, merchant_id="M")
    assert len(caught.value.problems) == 40
    text = str(caught.value)
    assert "items[24].quantity" in text and "items[25].quantity" not in text
    assert "and 15 more" in text
    assert len(caught.value.to_dict()["problems"]) == 40


def test_unicode_and_xml_specials_are_not_problems():
    feed = build_feed("inventory", [{"sku": "Ünïcødé & <co> \"q\" 'a' ✓ 😀", "quantity": 1}], merchant_id="M")
    assert feed.skus == ["Ünïcødé & <co> \"q\" 'a' ✓ 😀"]


@pytest.mark.parametrize(("kind", "items", "options", "path", "rule", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in PROCESSING_CORPUS])
def test_processing_rules_refuse_what_the_xsds_accept(kind, items, options, path, rule, words, monkeypatch,
                                                      assert_xsd_valid):
    """Each case breaks one processing rule and nothing else: without the rules the feed is XSD-valid
    (libxml2 and validate_message agree), so these verdicts stay apart from the XSD ones."""
    with pytest.raises(FeedValidationError) as caught:
        build_feed(kind, items, merchant_id="A1EXAMPLE", **options)
    assert [(p.path, p.rule) for p in caught.value.problems] == [(path, rule)]
    monkeypatch.setattr(builder, "check_processing", lambda *args: None)
    feed = build_feed(kind, items, merchant_id="A1EXAMPLE", **options)
    assert_xsd_valid(feed.xml)
    for message in etree.fromstring(feed.xml).iter("Message"):
        assert validate_message(feed.message_type, message) == []


# The same inputs through the feed actions: refused before any request reaches the sandbox.
ACTION_CASES = [
    ("changeProductPrice", {}, {"sku": "P-1", "standardPrice": {"value": "-1.00", "currency": "USD"}},
     "items[0].standardPrice.value", "positivePrice"),
    ("changeProductPrice", {}, {"items": [PRICE, {"sku": "P-2", "standardPrice": {"value": 0, "currency": "USD"}}]},
     "items[1].standardPrice.value", "positivePrice"),
    ("changeProductPrice", {}, {"sku": "P-1", "sale": {**SALE, "endDate": "2024-06-01T00:00:00Z"}},
     "items[0].sale.endDate", "endAfterStart"),
    ("changeProductPrice", {}, {"sku": "P-1", "minimumSellerAllowedPrice": {"value": "8", "currency": "USD"},
                                "maximumSellerAllowedPrice": {"value": "7", "currency": "USD"}},
     "items[0].maximumSellerAllowedPrice.value", "priceRange"),
    ("changeProductImage", {}, _with(IMAGE, imageLocation="javascript:alert(1)"), "items[0].imageLocation", "imageUrl"),
    ("changeProductImage", {}, _with(IMAGE, imageLocation="file:///etc/passwd"), "items[0].imageLocation", "imageUrl"),
    ("submitProduct", {"category": "Beauty"},
     _with(PRODUCT, descriptionData={"title": "T", "msrp": {"value": "-1", "currency": "USD"}}),
     "items[0].descriptionData.msrp.value", "positivePrice"),
    ("submitProductFromPayload", {}, _with(PRODUCT, enhancedImageUrl=["javascript:alert(1)"]),
     "items[0].enhancedImageUrl[0]", "imageUrl"),
]


@pytest.mark.parametrize(("step_id", "cfg", "body", "path", "rule"), ACTION_CASES,
                         ids=[f"{c[0]}-{c[4]}-{i}" for i, c in enumerate(ACTION_CASES)])
def test_actions_refuse_processing_rule_breaks_before_sending(world, step_id, cfg, body, path, rule):
    before = world.sandbox.stats()
    run = world.run(step_id, {**world.cfg, **cfg}, body=body)
    assert len(run.errors) == 1 and isinstance(run.errors[0], FeedValidationError), run.errors
    assert [(p.path, p.rule) for p in run.errors[0].problems] == [(path, rule)]
    assert "nothing was sent" in str(run.errors[0])
    assert world.sandbox.stats() == before and world.sandbox.feeds() == []
