"""Against Amazon's own material (../shared/sp-api/models, read in place): the operations table
matches the models' usage plans, the builder accepts each static example request, and the client
parses each static 200 answer into the documented output, which validates against our schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft3Validator

from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.transport import FunctionTransport
from mws_component.lib.spapi.client import SpApiClient
from mws_component.lib.spapi.convert import order_json
from mws_component.lib.spapi.operations import operations
from mws_component.lib.spapi.order_reads import order_items
from mws_component.lib.spapi.orders import next_token
from mws_component.lib.spapi.verify import participations

from .conftest import load_model
from .fakes import CREDS, FakeSpApi, json_response

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
ORDERS_MODEL = "orders_2026-01-01.json"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def assert_matches_schema(value: object, schema: dict, where: str = "") -> None:
    """Draft 3 validity, and no field the schema does not know (our outputs are exactly the MWS ones)."""
    errors = [e.message for e in Draft3Validator(schema).iter_errors(value)]
    assert not errors, f"{where}: {errors}"
    if isinstance(value, dict) and "properties" in schema:
        extra = set(value) - set(schema["properties"])
        assert not extra, f"{where}: fields outside the schema {sorted(extra)}"
        for key, inner in value.items():
            assert_matches_schema(inner, schema["properties"][key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, inner in enumerate(value):
            assert_matches_schema(inner, schema["items"], f"{where}[{i}]")


def _operation(model: dict, name: str) -> tuple[str, str, dict]:
    for path, methods in model["paths"].items():
        for method, op in methods.items():
            if isinstance(op, dict) and op.get("operationId") == name:
                return path, method.upper(), op
    raise AssertionError(f"{name} is not in the model")


def _statics(models_dir: Path, model: str, name: str) -> list[dict]:
    _, _, op = _operation(load_model(models_dir, model), name)
    return op["responses"]["200"]["x-amzn-api-sandbox"]["static"]


@pytest.mark.parametrize("name", sorted(operations()))
def test_table_matches_the_model(models_dir, name):
    row = operations()[name]
    path, method, op = _operation(load_model(models_dir, row.model), name)
    assert (row.path, row.method) == (path, method)
    plan = re.search(r"\|\s*([0-9.]+)\s*\|\s*([0-9]+)\s*\|", op["description"])
    assert plan, f"no usage plan table in {name}'s description"
    assert (row.rate, row.burst) == (float(plan.group(1)), int(plan.group(2)))
    query = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
    assert set(row.query) == set(query)
    assert row.arrays == {p["name"] for p in op.get("parameters", []) if p.get("type") == "array"}


def _client_answering(static: dict, status: int = 200) -> tuple[SpApiClient, FakeSpApi]:
    amazon = FakeSpApi()
    answer = json_response(status, static["response"], amazon.clock)
    amazon.faults += [lambda r: amazon.route(r), answer]  # the LWA exchange, then Amazon's example answer
    client = SpApiClient(CREDS, transport=FunctionTransport(amazon), clock=amazon.clock, pacer=Pacer(amazon.clock))
    return client, amazon


def _params(static: dict) -> dict:
    return {k: v["value"] for k, v in static["request"]["parameters"].items()}


def test_search_orders_examples(models_dir):
    schema = _schema("list_orders.out.json")
    statics = _statics(models_dir, ORDERS_MODEL, "searchOrders")
    assert len(statics) == 3
    outputs = []
    for i, static in enumerate(statics):
        client, amazon = _client_answering(static)
        data = client.call("searchOrders", _params(static)).data  # the builder takes Amazon's example request
        assert amazon.seen[-1].url.split("?")[0].endswith("/orders/2026-01-01/orders")
        orders = [order_json(o) for o in data["orders"]]
        for order in orders:
            assert_matches_schema(order, schema, f"searchOrders example {i}")
        outputs.append((orders, next_token(data)))
    (first, token), _, (brazil, _) = outputs
    assert token == "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4"
    assert first[0] == {
        "amazonOrderId": "250-1234567-8901234", "sellerOrderId": "JP-ORDER-2024-001",
        "purchaseDate": "2024-12-25T02:30:00Z", "lastUpdateDate": "2024-12-25T06:45:00Z", "orderStatus": "Shipped",
        "fulfillmentChannel": "AFN", "salesChannel": "Amazon.co.jp", "marketplaceId": "A1VC38T7YXB528",
        "shipmentServiceLevelCategory": "Standard", "earliestShipDate": "2024-12-25T00:00:00Z",
        "latestShipDate": "2024-12-25T23:59:59Z", "orderTotal": {"currencyCode": "JPY", "amount": "19940"},
        "numberOfItemsShipped": 3, "numberOfItemsUnshipped": 0, "orderType": "StandardOrder", "isPrime": True,
        "isBusinessOrder": False, "isPremiumOrder": False, "isReplacementOrder": False, "buyerName": "John Smith",
        "buyerEmail": "buyer-email@marketplace.amazon.co.jp", "isAccessPointOrder": False,
        "shippingAddress": {"name": "John Smith", "addressLine1": "123 Business Park", "addressLine2": "Suite 456",
                            "city": "Tokyo", "postalCode": "150-0002", "countryCode": "JP", "addressType": "Residential"},
    }
    assert brazil[0]["isBusinessOrder"] is True and brazil[0]["fulfillmentChannel"] == "MFN"
    assert brazil[0]["paymentMethod"] == "Other" and brazil[0]["paymentMethodDetails"] == ["CreditCard"]
    assert brazil[0]["buyerTaxInfo"] == {"companyLegalName": "Oliveira Tecnologia Ltda",
                                         "taxClassifications": [{"name": "VAT", "value": "1234567890"}]}
    assert brazil[0]["purchaseOrderNumber"] == "PO-BR-2024-5678"


def test_get_order_examples(models_dir):
    orders_schema, items_schema = _schema("list_orders.out.json"), _schema("list_order_items.out.json")
    statics = _statics(models_dir, ORDERS_MODEL, "getOrder")
    assert len(statics) == 3
    results = []
    for i, static in enumerate(statics):
        order_id = _params(static)["orderId"]
        client, _ = _client_answering(static)
        items = order_items(client, order_id)
        assert_matches_schema(items, items_schema, f"getOrder example {i}")
        assert_matches_schema(order_json(static["response"]["order"]), orders_schema, f"getOrder order {i}")
        assert items["amazonOrderId"] == order_id
        results.append(items["orderItems"])
    brazil, turkey, pickup = results
    assert brazil[0]["isGift"] is True and brazil[0]["giftWrapLevel"] == "STANDARD"
    assert brazil[0]["itemPrice"] == {"currencyCode": "BRL", "amount": "299.90"}
    assert brazil[0]["promotionIds"] == ["BR-NATAL-2024"]
    assert turkey[0]["taxCollection"] == {"model": "MarketplaceFacilitator",
                                          "responsibleParty": "Amazon Services Europe S.a.r.L."}
    assert turkey[0]["quantityOrdered"] == 2 and turkey[0]["quantityShipped"] == 2
    assert pickup[0]["itemTax"] == {"currencyCode": "USD", "amount": "10.00"}
    assert pickup[0]["itemPrice"] == {"currencyCode": "USD", "amount": "39.99"}


def test_get_marketplace_participations_example(models_dir):
    statics = _statics(models_dir, "sellers.json", "getMarketplaceParticipations")
    for static in statics:
        client, _ = _client_answering(static)
        assert participations(client) == {"ATVPDKIKX0DER": ("Amazon.com", True)}


def test_error_examples_map_to_invalid_request(models_dir):
    from mws_component.lib.mws.errors import InvalidRequestError
    _, _, op = _operation(load_model(models_dir, ORDERS_MODEL), "searchOrders")
    static = op["responses"]["400"]["x-amzn-api-sandbox"]["static"][0]
    client, _ = _client_answering(static, 400)
    with pytest.raises(InvalidRequestError) as caught:
        client.call("searchOrders", _params(static))
    assert caught.value.code == "InvalidInput" and caught.value.http_status == 400

