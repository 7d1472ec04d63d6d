"""Buyer and address data only with a restricted data token (Tokens API), for the resources it names;
without one the answer leaves them out and says so; a seller without the restricted role gets none."""

from __future__ import annotations

from .conftest import ALL_DATA, SEARCH

CREATED = {"createdAfter": "2023-01-01T00:00:00Z"}
BOTH = ["buyerInfo", "shippingAddress"]


def _revealed_mfn(sandbox):
    return next(o for o in sandbox.backend.orders.of_seller(sandbox.backend.primary.seller_id)
                if o.revealed and o.channel == "MFN")


def test_without_a_token_buyer_and_street_address_are_withheld_and_named(sp, sandbox):
    order = _revealed_mfn(sandbox)
    answer = sp.order(order.amazon_order_id, includedData="BUYER,RECIPIENT")
    body = answer.json["order"]
    assert "buyer" not in body
    assert body["recipient"]["deliveryAddress"] == {
        "city": order.address.city, "stateOrRegion": order.address.state, "postalCode": order.address.postal_code,
        "countryCode": order.address.country, **({"addressType": order.address.address_type.upper()}
                                                 if order.address.address_type else {})}
    withheld = answer.headers["x-sandbox-withheld"]
    assert "buyerInfo" in withheld and "shippingAddress" in withheld and "addressLine1" in withheld


def test_no_withheld_note_when_personal_data_was_not_asked_for(sp, sandbox):
    answer = sp.order(_revealed_mfn(sandbox).amazon_order_id, includedData="FULFILLMENT")
    assert "x-sandbox-withheld" not in answer.headers


def test_a_restricted_data_token_for_the_order_reveals_buyer_and_address(sp, sandbox):
    order = _revealed_mfn(sandbox)
    rdt = sp.rdt({"method": "GET", "path": f"{SEARCH}/{order.amazon_order_id}", "dataElements": BOTH})
    assert rdt.startswith("Atz.sprdt|")
    answer = sp.order(order.amazon_order_id, rdt, includedData="BUYER,RECIPIENT")
    body = answer.json["order"]
    assert body["buyer"] == {"buyerName": order.buyer_name, "buyerEmail": order.buyer_email}
    assert body["recipient"]["deliveryAddress"]["name"] == order.address.name
    assert body["recipient"]["deliveryAddress"]["addressLine1"] == order.address.line1
    assert "x-sandbox-withheld" not in answer.headers


def test_only_the_data_elements_asked_for_are_revealed(sp, sandbox):
    order = _revealed_mfn(sandbox)
    rdt = sp.rdt({"method": "GET", "path": SEARCH + "/{orderId}", "dataElements": ["shippingAddress"]})
    answer = sp.order(order.amazon_order_id, rdt, includedData="BUYER,RECIPIENT")
    assert "buyer" not in answer.json["order"] and "name" in answer.json["order"]["recipient"]["deliveryAddress"]
    assert "buyerInfo" in answer.headers["x-sandbox-withheld"]


def test_a_bulk_token_serves_search_orders_and_nothing_else(sp, sandbox):
    rdt = sp.rdt({"method": "GET", "path": SEARCH, "dataElements": BOTH})
    found = sp.search(rdt, includedData=ALL_DATA, **CREATED).json["orders"]
    assert any("buyer" in o for o in found)
    other = sp.order(_revealed_mfn(sandbox).amazon_order_id, rdt)
    assert (other.status, other.code) == (403, "Unauthorized")
    assert sp.get("/sellers/v1/marketplaceParticipations", token=rdt).status == 403


def test_afn_orders_carry_no_buyer_email(sp, sandbox):
    afn = next(o for o in sandbox.backend.orders.of_seller(sandbox.backend.primary.seller_id)
               if o.revealed and o.channel == "AFN")
    rdt = sp.rdt({"method": "GET", "path": SEARCH + "/{orderId}", "dataElements": ["buyerInfo"]})
    assert sp.order(afn.amazon_order_id, rdt, includedData="BUYER").json["order"]["buyer"] == {
        "buyerName": afn.buyer_name}


def test_pending_orders_have_no_personal_data_or_money_even_with_a_token(sp, sandbox):
    pending = next(o for o in sandbox.backend.orders.of_seller(sandbox.backend.primary.seller_id)
                   if not o.revealed)
    rdt = sp.rdt({"method": "GET", "path": SEARCH + "/{orderId}", "dataElements": BOTH})
    body = sp.order(pending.amazon_order_id, rdt, includedData=ALL_DATA).json["order"]
    assert not {"buyer", "recipient", "proceeds"} & set(body)
    assert all("price" not in i["product"] for i in body["orderItems"])


def test_orders_paths_need_data_elements(sp):
    answer = sp.post("/tokens/2021-03-01/restrictedDataToken",
                     {"restrictedResources": [{"method": "GET", "path": SEARCH}]})
    assert (answer.status, answer.code) == (400, "InvalidInput")
    assert "dataElements" in answer.json["errors"][0]["message"]


def test_without_the_restricted_role_there_is_no_token(sp, sandbox):
    sandbox.set_restricted_role(0, False)
    answer = sp.post("/tokens/2021-03-01/restrictedDataToken",
                     {"restrictedResources": [{"method": "GET", "path": SEARCH, "dataElements": BOTH}]})
    assert (answer.status, answer.code) == (403, "Unauthorized")
    assert "restricted role" in answer.json["errors"][0]["details"]


def test_restricted_data_tokens_expire_after_an_hour(sp, clock):
    rdt = sp.rdt({"method": "GET", "path": SEARCH, "dataElements": BOTH})
    clock.advance(3600)
    assert sp.search(rdt, **CREATED).status == 403
