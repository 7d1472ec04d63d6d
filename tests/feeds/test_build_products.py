"""Product feeds: all 54 ProductData categories and realistic items, checked against the real XSDs."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from mws_component.lib.feeds import FeedValidationError, build_feed, categories, resolve_category
from mws_component.lib.feeds.categories import category_elements
from mws_component.lib.feeds.naming import json_name
from mws_component.lib.feeds.rules import rules

from .samples import branches, category_rule, sample

BASE = {
    "sku": "SKU-100",
    "standardProductId": {"type": "EAN", "value": "4006381333931"},
    "condition": {"conditionType": "New", "conditionNote": "Sealed box"},
    "itemPackageQuantity": 1,
    "descriptionData": {
        "title": "Example product",
        "brand": "Acme",
        "description": "Line one.\nLine two with <b>markup</b> & an ampersand.",
        "bulletPoint": ["Durable", "Light", "Warranty: 2 years"],
        "itemDimensions": {"length": {"value": 10, "unitOfMeasure": "CM"}, "width": {"value": 5, "unitOfMeasure": "CM"}},
        "packageWeight": {"value": "0.75", "unitOfMeasure": "KG"},
        "msrp": {"value": "29.99", "currency": "EUR"},
        "manufacturer": "Acme GmbH",
        "searchTerms": ["gadget", "tool"],
        "itemType": "example-item-type",
    },
}

# Hand-written items for more than a dozen categories: arrays, attributes and choices on purpose.
REALISTIC = {
    "Beauty": {"beauty": {"productType": {"beautyMisc": {
        "variationData": {"parentage": "child", "variationTheme": "Size-Color", "size": "50 ml", "color": "Red"},
        "unitCount": {"value": 50, "unitOfMeasure": "ml"}, "count": 1, "ingredients": "Water, glycerin",
        "skinType": ["dry", "sensitive"]}}}},
    "Camera & Photo": {"cameraPhoto": {"productType": {"digitalCamera": {
        "megapixels": {"value": 24.2, "unitOfMeasure": "pixels"},
        "opticalZoom": {"value": 3, "unitOfMeasure": "x"}, "cameraType": "slr",
        "usbOutput": ["usb2.0"], "features": ["lcd-screen", "image-stabilization"]}},
        "keywords": ["dslr", "camera"], "hasImageStabilizer": True}},
    "Computers": {"computers": {"productType": {"notebookComputer": {
        "hardDriveSize": [{"value": 512, "unitOfMeasure": "GB"}], "operatingSystem": ["Windows 11", "Linux"],
        "processorBrand": "Intel", "processorSpeed": {"value": 2.4, "unitOfMeasure": "GHz"},
        "ramSize": {"value": 16, "unitOfMeasure": "GB"}, "screenSize": {"value": 14, "unitOfMeasure": "inches"}}},
        "color": "Silver"}},
    "Consumer Electronics": {"ce": {"productType": {"consumerElectronics": {
        "color": "Black", "powerSource": "AC", "screenSize": {"value": 55, "unitOfMeasure": "inches"}}}}},
    "Toys & Games": {"toys": {"productType": {"toysAndGames": {"color": "Blue", "isElectric": False}},
                              "ageRecommendation": {"minimumManufacturerAgeRecommended": {"value": 3, "unitOfMeasure": "years"}},
                              "colorSpecification": {"color": "Navy", "colorMap": "blue"}}},
    "Jewelry": {"jewelry": {"productType": {"watch": {"bandColor": "Brown", "bandMaterial": "leather",
                                                       "bandWidth": {"value": 20, "unitOfMeasure": "MM"}}},
                            "color": "Gold"}},
    "Books": {"books": {"productType": {"booksMisc": {"author": "A. Writer", "binding": "Hardcover",
                                                       "edition": "2nd", "language": "English"}}}},
    "Music": {"music": {"productType": {"musicPopular": {"mediaType": "audioCD", "format": ["original_recording"],
                                                           "numberOfDiscs": 2, "runTime": 74}}}},
    "Health": {"health": {"productType": {"healthMisc": {"unitCount": {"value": 60, "unitOfMeasure": "Count"},
                                                          "ingredients": "Vitamin C", "directions": "One a day"}}}},
    "Software and Video Games": {"softwareVideoGames": {"productType": {"videoGames": {
        "consoleVideoGamesGenre": ["action"], "pegiRating": "ages_12_and_over", "hardwarePlatform": "switch"}}}},
    "Shoes Handbags and Sunglasses": {"shoes": {"clothingType": "Shoes",
                                                "variationData": {"parentage": "child", "size": "42", "color": "Black",
                                                                  "variationTheme": "SizeColor"},
                                                "classificationData": {"department": "mens", "materialType": "leather"}}},
    "Clothing Accessories & Luggage": {"clothingAccessories": {"variationData": {"parentage": "parent",
                                                                                 "variationTheme": "SizeColor"},
                                                               "classificationData": {"department": "womens",
                                                                                      "materialAndFabric": ["wool", "silk"]}}},
    "Sports": {"sports": {"productType": "SportingGoods", "variationData": {"parentage": "child", "variationTheme": "Size",
                                                                            "size": "M"}}},
    "Industrial & Scientific: Power Transmission": {"powerTransmission": {
        "productType": "Gears", "boreDiameter": {"value": 12, "unitOfMeasure": "MM"}, "numberOfTeeth": 24}},
    "Miscellaneous": {"miscellaneous": {"productType": "Antiques", "keywords": ["vintage", "oak"], "color": "Brown"}},
    "Tools": {"tools": {"gritRating": 120, "powerSource": ["corded-electric"], "wattage": 600,
                        "weight": {"value": 2.5, "unitOfMeasure": "KG"}}},
    "Grocery & Gourmet Food": {"foodAndBeverages": {"productType": {"food": {"countryOfOrigin": "IT",
                                                                              "ingredients": "Durum wheat"}}}},
    "Auto Accessories": {"autoAccessory": {"productType": {"helmet": {"department": ["unisex"], "styleKeywords": ["full-face"],
                                                                        "safetyRating": ["DOT Certified"], "modelName": "X1"}}}},
}


def _category_cases():
    for element in category_elements():
        rule = category_rule(element)
        for full in (False, True):
            for branch in range(branches(rule)):
                yield pytest.param(element, full, branch, id=f"{element}-{'full' if full else 'required'}-{branch}")


@pytest.mark.parametrize(("element", "full", "branch"), list(_category_cases()))
def test_every_category_field_and_branch_is_valid(element, full, branch, assert_xsd_valid):
    """Each of the 54 ProductData elements, required-only and with every field, each choice branch."""
    item = sample(rules().root("Product"), full=full) if full else {"sku": "S1"}
    item["productData"] = {json_name(element): sample(category_rule(element), full=full, branch=branch)}
    feed = build_feed("product", item, merchant_id="A1EXAMPLE")
    assert_xsd_valid(feed.xml)


@pytest.mark.parametrize("display", sorted(REALISTIC))
def test_realistic_items_per_category(display, assert_xsd_valid):
    item = copy.deepcopy(BASE)
    item["productData"] = REALISTIC[display]
    feed = build_feed("product", [item], merchant_id="A1EXAMPLE", category=display)
    assert_xsd_valid(feed.xml)
    product = etree.fromstring(feed.xml).find("Message/Product")
    assert [e.text for e in product.iter("BulletPoint")] == ["Durable", "Light", "Warranty: 2 years"]
    assert product.find("DescriptionData/MSRP").get("currency") == "EUR"
    assert product.find("ProductData")[0].tag in categories()[display]


def test_realistic_items_cover_a_dozen_categories_with_arrays_attributes_and_choices():
    assert len(REALISTIC) >= 12
    assert set(REALISTIC) <= set(categories())


def test_product_order_follows_the_schema_not_the_json():
    item = copy.deepcopy(BASE)
    item["productData"] = REALISTIC["Beauty"]
    reordered = dict(reversed(list(item.items())))
    reordered["descriptionData"] = dict(reversed(list(item["descriptionData"].items())))
    assert build_feed("product", reordered, merchant_id="M").xml == build_feed("product", item, merchant_id="M").xml
    product = etree.fromstring(build_feed("product", item, merchant_id="M").xml).find("Message/Product")
    assert [c.tag for c in product] == ["SKU", "StandardProductID", "Condition", "ItemPackageQuantity",
                                         "DescriptionData", "ProductData"]


def test_delete_needs_only_the_sku(assert_xsd_valid):
    feed = build_feed("product", [{"sku": "OLD-1"}, {"sku": "OLD-2"}], merchant_id="M", operation="Delete")
    assert_xsd_valid(feed.xml)
    assert feed.skus == ["OLD-1", "OLD-2"]


def test_thirty_display_names_map_to_schema_categories():
    table = categories()
    assert len(table) == 30
    elements = set(category_elements())
    assert len(elements) == 54
    for display, mapped in table.items():
        assert mapped and set(mapped) <= elements, display
    assert table["Software and Video Games"] == ["SoftwareVideoGames"]
    assert table["Clothing Accessories & Luggage"] == ["ClothingAccessories", "Luggage"]
    table["Beauty"].append("mutated")
    assert categories()["Beauty"] == ["Beauty"]


@pytest.mark.parametrize("name", ["camera & photo", "Camera  &  Photo", "CameraPhoto", "cameraPhoto"])
def test_category_names_resolve_leniently(name):
    assert resolve_category(name)[1] == ["CameraPhoto"]


def test_schema_only_elements_outside_the_thirty_are_accepted_by_element_name(assert_xsd_valid):
    item = {"sku": "S", "productData": {"home": {"productType": {"kitchen": {}}}}}
    assert_xsd_valid(build_feed("product", item, merchant_id="M", category="Home").xml)
    assert_xsd_valid(build_feed("product", item, merchant_id="M").xml)


def test_chosen_category_refuses_other_category_data():
    item = {"sku": "S", "productData": {"sports": {"productType": "SportingGoods"}}}
    with pytest.raises(FeedValidationError) as caught:
        build_feed("product", [item], merchant_id="M", category="Beauty")
    [problem] = caught.value.problems
    assert problem.path == "items[0].productData.sports"
    assert problem.rule == "category"
    assert "Beauty" in problem.message and "beauty" in problem.message


def test_two_categories_in_one_item_is_a_choice_error():
    item = {"sku": "S", "productData": {"sports": {"productType": "SportingGoods"}, "tools": {}}}
    with pytest.raises(FeedValidationError) as caught:
        build_feed("product", [item], merchant_id="M")
    assert [(p.path, p.rule) for p in caught.value.problems] == [("items[0].productData.{sports,tools}", "choice")]


def test_choice_between_ratings(assert_xsd_valid):
    base = {"consoleVideoGamesGenre": ["racing"], "hardwarePlatform": "ps4"}
    ok = {"sku": "G", "productData": {"softwareVideoGames": {"productType": {"videoGames": {**base, "esrbRating": "everyone"}}}}}
    assert_xsd_valid(build_feed("product", ok, merchant_id="M").xml)
    both = copy.deepcopy(ok)
    both["productData"]["softwareVideoGames"]["productType"]["videoGames"]["pegiRating"] = "ages_3_and_over"
    with pytest.raises(FeedValidationError) as caught:
        build_feed("product", both, merchant_id="M")
    assert caught.value.problems[0].path.startswith("items[0].productData.softwareVideoGames.productType.videoGames.{")
    assert caught.value.problems[0].rule == "choice"
