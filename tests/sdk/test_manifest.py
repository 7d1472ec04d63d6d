"""component.json: the real one against the rules and the product page; broken ones reported clearly."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from eiosdk.component import Component
from eiosdk.errors import ManifestError, UnknownStepError
from eiosdk.service import get_meta_model

from mws_component import COMPONENT_ROOT

from .conftest import FIXTURES, REPO

PRODUCT_PAGE = Path("/work/shared/product-docs/002_60a24a1cf90ad485.txt")
ACTIONS = ["listOrderItems", "submitProduct", "submitProductFromPayload", "submitInventory", "changeProductImage",
           "changeProductPrice", "establishProductRelationships", "getFeedSubmissionStatus",
           "getFeedSubmissionResult", "getOrder", "confirmShipment", "acknowledgeOrder"]
TRIGGERS = ["listOrders", "listFinancialEvents", "listProducts"]


@pytest.fixture(scope="module")
def component() -> Component:
    return Component.load(COMPONENT_ROOT)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((REPO / "component.json").read_text(encoding="utf-8"))


def _generator():
    spec = importlib.util.spec_from_file_location("gen_component_models", REPO / "scripts" / "gen_component_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_component_is_valid_without_warnings(component):
    assert component.warnings == []
    assert component.step_ids() == [*TRIGGERS, *ACTIONS]
    for step_id in component.step_ids():
        assert component.load_step(step_id).function("process") is not None


def test_top_level_and_credentials(manifest):
    assert (manifest["title"], manifest["buildType"]) == ("Amazon MWS", "docker")
    assert manifest["description"] and manifest["version"]
    fields = manifest["credentials"]["fields"]
    assert list(fields) == ["api", "sellerId", "mwsAuthToken", "accessKeyId", "secretKey", "lwaClientId",
                            "lwaClientSecret", "refreshToken", "marketplaceId", "region", "endpoint", "lwaEndpoint"]
    assert {k: f["viewClass"] for k, f in fields.items()} == {
        "api": "SelectView", "sellerId": "TextFieldView", "mwsAuthToken": "PasswordFieldView",
        "accessKeyId": "TextFieldView", "secretKey": "PasswordFieldView", "lwaClientId": "TextFieldView",
        "lwaClientSecret": "PasswordFieldView", "refreshToken": "PasswordFieldView", "marketplaceId": "SelectView",
        "region": "SelectView", "endpoint": "TextFieldView", "lwaEndpoint": "TextFieldView"}
    assert list(fields["api"]["model"]) == ["mws", "sp-api"]
    # What each API needs is checked by the client for the API chosen (naming the missing field), so
    # the form requires only what both need.
    assert [k for k, f in fields.items() if f.get("required")] == ["sellerId", "marketplaceId"]
    assert fields["sellerId"]["note"] and fields["mwsAuthToken"]["note"]


def test_access_key_and_secret_key_labels_are_not_swapped(manifest):
    fields = manifest["credentials"]["fields"]
    assert "Access Key" in fields["accessKeyId"]["label"] and "Secret" not in fields["accessKeyId"]["label"]
    assert "Secret Key" in fields["secretKey"]["label"] and "Access" not in fields["secretKey"]["label"]


def test_marketplace_and_region_models_match_the_table(manifest):
    table = json.loads((REPO / "lib/mws/data/marketplaces.json").read_text(encoding="utf-8"))
    model = manifest["credentials"]["fields"]["marketplaceId"]["model"]
    assert list(model) == [m["id"] for m in table["marketplaces"]]
    assert model["ATVPDKIKX0DER"] == "Amazon.com (US)"
    assert list(manifest["credentials"]["fields"]["region"]["model"]) == list(table["regions"])
    assert _generator().main(["--check", "--component", str(REPO / "component.json")]) == 0


def test_generator_detects_and_fixes_drift(tmp_path, manifest):
    stale = json.loads(json.dumps(manifest))
    del stale["credentials"]["fields"]["marketplaceId"]["model"]["ATVPDKIKX0DER"]
    path = tmp_path / "component.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    generator = _generator()
    assert generator.main(["--check", "--component", str(path)]) == 1
    assert generator.main(["--component", str(path)]) == 0
    assert json.loads(path.read_text())["credentials"]["fields"]["marketplaceId"]["model"]["ATVPDKIKX0DER"]
    assert generator.main(["--check", "--component", str(path)]) == 0


def test_list_orders_trigger(component):
    step = component.step("listOrders")
    assert (step.kind, step.type, step.main) == ("trigger", "polling", COMPONENT_ROOT / "lib/triggers/list_orders.py")
    assert list(step.fields) == ["orderStatus", "startTime", "fulfillmentChannel", "marketplaceIds",
                                 "maxResultsPerPage", "includePersonalData", "endTime", "dateKind"]
    statuses = step.fields["orderStatus"]
    assert statuses["viewClass"] == "MultiSelectView"
    assert list(statuses["model"].values()) == ["Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled",
                                                "Unfulfillable", "PendingAvailability (Japan only)",
                                                "InvoiceUnconfirmed (China only)"]
    for label in statuses["model"].values():
        assert f"`{label}`" in PRODUCT_PAGE.read_text(encoding="utf-8")
    assert "30 days" in step.fields["startTime"]["note"]
    assert set(step.fields["fulfillmentChannel"]["model"]) == {"AFN", "MFN"}
    out = step.metadata["out"]["properties"]
    for name in ("amazonOrderId", "sellerOrderId", "purchaseDate", "lastUpdateDate", "orderStatus",
                 "fulfillmentChannel", "salesChannel", "shipServiceLevel", "numberOfItemsShipped",
                 "numberOfItemsUnshipped", "paymentMethod", "marketplaceId", "buyerEmail", "buyerName",
                 "shipmentServiceLevelCategory", "orderType", "earliestShipDate", "latestShipDate",
                 "earliestDeliveryDate", "latestDeliveryDate", "isBusinessOrder", "isPrime", "isPremiumOrder",
                 "isReplacementOrder"):
        assert name in out, name
    assert set(out["orderTotal"]["properties"]) == {"currencyCode", "amount"}
    assert {"name", "addressLine1", "addressLine2", "addressLine3", "city", "county", "district", "stateOrRegion",
            "municipality", "postalCode", "countryCode", "phone", "addressType"} <= set(
        out["shippingAddress"]["properties"])
    assert out["paymentMethodDetails"]["type"] == "array"
    assert [k for k, v in out.items() if v.get("required")] == ["amazonOrderId", "purchaseDate", "lastUpdateDate",
                                                                "orderStatus"]


def test_list_order_items_follows_the_product_page(component):
    step = component.step("listOrderItems")
    assert step.metadata["in"]["properties"]["amazonOrderId"]["required"] is True
    out = step.metadata["out"]["properties"]
    assert out["amazonOrderId"]["required"] is True and out["orderItems"]["type"] == "array"
    item = out["orderItems"]["items"]["properties"]
    for name in ("orderItemId", "asin", "sellerSku", "title", "quantityOrdered", "quantityShipped", "itemPrice",
                 "shippingPrice", "itemTax", "shippingTax", "promotionDiscount", "giftWrapPrice", "conditionId",
                 "conditionSubtypeId", "isGift", "promotionIds"):
        assert name in item, name
    assert set(item["itemPrice"]["properties"]) == {"currencyCode", "amount"}


def test_submit_product_fields_match_the_product_page(component):
    step = component.step("submitProduct")
    assert step.dynamic_metadata and step.metadata is None
    assert list(step.fields["operation"]["model"]) == ["Upsert", "Delete", "PartialUpdate"]
    page = PRODUCT_PAGE.read_text(encoding="utf-8")
    listed = page.split("following types:")[1].split("\n\n")[1].strip("> \n").split(", ")
    assert len(listed) == 30
    assert list(step.fields["category"]["model"]) == listed
    assert step.fields["dryRun"]["viewClass"] == "CheckBoxView"


@pytest.mark.parametrize(("step_id", "fields"), [
    ("submitInventory", {"sku", "quantity", "fulfillmentLatency"}),
    ("changeProductPrice", {"sku", "standardPrice", "sale"}),
    ("changeProductImage", {"sku", "imageType", "imageLocation"}),
    ("establishProductRelationships", {"parentSku", "relation"}),
])
def test_feed_actions_accept_one_item_or_many(component, step_id, fields):
    step = component.step(step_id)
    metadata = step.metadata or get_meta_model(component, step_id, {})  # image and relationship: per operation
    props = metadata["in"]["properties"]
    assert fields <= set(props)
    assert props["items"]["type"] == "array" and fields <= set(props["items"]["items"]["properties"])
    assert list(step.fields) in (["dryRun"], ["operation", "dryRun"])
    assert set(metadata["out"]["properties"]) >= {"feedSubmissionId", "feedType", "feedProcessingStatus",
                                                      "submittedDate", "messageCount"}


def test_price_and_relationship_shapes(component):
    price = component.step("changeProductPrice").metadata["in"]["properties"]
    assert set(price["standardPrice"]["properties"]) >= {"value", "currency"}
    relation = get_meta_model(component, "establishProductRelationships", {})["in"]["properties"]["relation"]
    assert set(relation["items"]["properties"]) >= {"sku", "type"}


def test_feed_status_and_result_shapes(component):
    status = component.step("getFeedSubmissionStatus").metadata
    assert status["in"]["properties"]["feedSubmissionId"]["required"] is True
    assert "required" not in status["in"]["properties"]["feedType"]
    result = component.step("getFeedSubmissionResult").metadata["out"]["properties"]
    assert set(result) == {"feedSubmissionId", "statusCode", "summary", "results"}
    assert set(result["summary"]["properties"]) == {"messagesProcessed", "messagesSuccessful", "messagesWithError",
                                                    "messagesWithWarning"}
    assert {"messageId", "resultCode", "resultMessageCode", "resultDescription", "sku"} <= set(
        result["results"]["items"]["properties"])


def test_broken_manifest_lists_every_problem_with_its_path():
    with pytest.raises(ManifestError) as caught:
        Component.load(FIXTURES / "broken")
    paths = {p.path: p.message for p in caught.value.problems}
    expected = {
        "$.credentials.fields.region.model": "credentials need an object model",
        "$.credentials.fields.token.viewClass": "missing",
        "$.triggers.1poll": "ids begin with a letter",
        "$.triggers.1poll.type": "must be one of ['polling', 'webhook']",
        "$.actions.shared": "ids must be unique across triggers and actions",
        "$.actions.noTitle.title": "needs a title",
        "$.actions.missingMain.main": "does not exist",
        "$.actions.noProcess.main": "does not define process",
        "$.actions.importFails.main": "No module named 'module_that_does_not_exist'",
        "$.actions.badFields.fields.shape.viewClass": "'FancyView' is not a known viewClass",
        "$.actions.badFields.fields.color.model": "does not define a function listColors",
        "$.actions.badFields.fields.size.model": "needs a model",
        "$.actions.noMetadata": "needs `metadata`",
        "$.actions.dynamicWithout.dynamicMetadata": "does not define getMetaModel",
        "$.actions.badSchemas.metadata.in (./schemas/bad.json).required": "must be true or false",
        "$.actions.badSchemas.metadata.in (./schemas/bad.json).properties.sku.required": "must be true or false",
        "$.actions.badSchemas.metadata.in (./schemas/bad.json).properties.tags.items": "an array needs `items`",
        "$.actions.badSchemas.metadata.in (./schemas/bad.json).properties.when.type": "unknown type datetime",
        "$.actions.badSchemas.metadata.in (./schemas/bad.json).properties.nested.properties.deep.type": "missing",
        "$.actions.badSchemas.metadata.out": "does not exist",
        "$.actions.notJson.metadata.in": "is not valid JSON",
        "$.actions.escapes.main": "points outside the component directory",
    }
    for path, fragment in expected.items():
        assert path in paths, f"no problem reported at {path}"
        assert fragment in paths[path], (path, paths[path])
    assert len(caught.value.problems) == len(expected)
    text = str(caught.value)
    assert f"has {len(expected)} problem(s)" in text and "$.actions.noTitle.title: action 'noTitle' needs a title" in text


def test_missing_and_unparsable_manifest(tmp_path):
    with pytest.raises(ManifestError, match="does not exist"):
        Component.load(tmp_path)
    (tmp_path / "component.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid JSON"):
        Component.load(tmp_path)
    (tmp_path / "component.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ManifestError, match="at least one trigger or action"):
        Component.load(tmp_path)


def test_inline_metadata_and_metadata_file_with_in_and_out(tmp_path):
    (tmp_path / "step.py").write_text("def process(msg, cfg, snapshot):\n    return {}\n", encoding="utf-8")
    (tmp_path / "both.json").write_text(json.dumps({"in": {"type": "object", "properties": {}},
                                                    "out": {"type": "object", "properties": {"a": {"type": "date"}}}}))
    manifest = {"title": "t", "description": "d", "credentials": {"fields": {}},
                "actions": {"a": {"title": "A", "description": "d", "main": "./step.py", "metadata": "./both.json"},
                            "b": {"title": "B", "description": "d", "main": "./step.py",
                                  "metadata": {"in": {"type": "object", "properties": {}},
                                               "out": {"type": "object", "properties": {}}}}}}
    (tmp_path / "component.json").write_text(json.dumps(manifest), encoding="utf-8")
    component = Component.load(tmp_path)
    assert component.step("a").metadata["out"]["properties"]["a"] == {"type": "date"}
    assert component.step("b").metadata["in"] == {"type": "object", "properties": {}}
    assert component.warnings == []


def test_unknown_step_lists_the_valid_ids(component):
    with pytest.raises(UnknownStepError, match="choose one of: listOrders, listFinancialEvents, listProducts, listOrderItems"):
        component.step("listOrder")


def test_fixture_modules_never_shadow_the_real_lib_package(styles):
    import mws_component.lib.actions

    step = styles.load_step("returnBody")
    assert step.module.__name__.startswith("eiosdk_steps.")
    assert Path(mws_component.lib.actions.__file__).resolve().parent == REPO / "lib" / "actions"


def test_real_steps_load_under_their_package_name(component):
    import mws_component.lib.actions.list_order_items as imported

    loaded = component.load_step("listOrderItems").module
    assert loaded.__name__ == "mws_component.lib.actions.list_order_items"
    assert loaded is imported  # one module, whether the platform or a test imports it
