"""End to end against the sandbox's SP-API emulator over loopback HTTP, in simulated time: verify,
and the same orders and items through SP-API as through MWS for one seller's world."""

from __future__ import annotations

from mws_component.lib.mws.client import MwsClient
from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.parsing import as_list
from mws_component.lib.orders import state as st
from mws_component.lib.orders import sync
from mws_component.lib.orders.convert import item_json
from mws_component.lib.orders.sync import OrderQuery
from mws_component.lib.spapi import order_reads, orders
from mws_component.lib.spapi.client import SpApiClient
from mws_component.lib.spapi.verify import verify

START = "2025-11-01T00:00:00Z"
NO_COUNTERPART = {"isGlobalExpressEnabled", "isSoldByAb", "shipServiceLevel", "orderChannel", "buyerCounty",
                  "isIba", "promiseResponseDueDate", "isEstimatedShipDateSet", "shippedByAmazonTfm",
                  "tfmShipmentStatus", "easyShipShipmentStatus", "cbaDisplayableShippingLabel",
                  "defaultShipFromLocationAddress",
                  "paymentMethod", "paymentMethodDetails",  # SP-API: only where paymentExecutions are given
                  "buyerEmail"}  # SP-API: merchant-fulfilled orders only


def _clients(world):
    sp = SpApiClient(world.sandbox.sp_api_credentials(world.url), clock=world.clock, pacer=Pacer(world.clock))
    mws = MwsClient(world.sandbox.credentials(world.url), clock=world.clock, pacer=Pacer(world.clock))
    return sp, mws


def _all(poll, client, market: str, **kw) -> list[dict]:
    state, out = st.initial("", START), []
    for page in poll(client, OrderQuery([market]), state, **kw):
        out += page.orders
        state = page.state
    return out


def test_verify_against_the_emulator(world):
    creds = world.sandbox.sp_api_credentials(world.url)
    assert verify(creds, clock=world.clock, pacer=Pacer(world.clock)) == {"verified": True}
    reason = verify({**creds, "refreshToken": "Atzr|not-issued"}, clock=world.clock, pacer=Pacer(world.clock))["reason"]
    assert "invalid_grant" in reason and "authorise the app again" in reason
    other = "A1PA6795UKMFR9" if creds["marketplaceId"] != "A1PA6795UKMFR9" else "A13V1IB3VIYZZH"
    result = verify({**creds, "marketplaceId": other, "endpoint": world.url}, clock=world.clock,
                    pacer=Pacer(world.clock))
    assert result["verified"] is False and creds["marketplaceId"] in result["reason"]


def test_same_orders_as_mws(world):
    sp, mws = _clients(world)
    market = world.sandbox.credentials(world.url)["marketplaceId"]
    through_sp = _all(orders.poll, sp, market, personal_data=True)
    through_mws = {o["amazonOrderId"]: o for o in _all(sync.poll, mws, market)}
    assert through_sp and len({o["amazonOrderId"] for o in through_sp}) == len(through_sp)
    assert {o["amazonOrderId"] for o in through_sp} == set(through_mws)
    for order in through_sp:
        twin = through_mws[order["amazonOrderId"]]
        assert {k: v for k, v in order.items() if k in twin} == {k: v for k, v in twin.items() if k in order}
        assert set(twin) - set(order) <= NO_COUNTERPART, order["amazonOrderId"]
        assert set(order) - set(twin) <= {"isAccessPointOrder"}


def test_same_items_as_mws(world):
    sp, mws = _clients(world)
    market = world.sandbox.credentials(world.url)["marketplaceId"]
    some = [o["amazonOrderId"] for o in _all(orders.poll, sp, market)][:5]
    for order_id in some:
        ours = order_reads.order_items(sp, order_id)["orderItems"]
        theirs = [item_json(i) for page in mws.pages("ListOrderItems", {"AmazonOrderId": order_id})
                  for i in as_list((page.result.get("OrderItems") or {}).get("OrderItem"))]
        assert [i["orderItemId"] for i in ours] == [i["orderItemId"] for i in theirs]
        for mine, twin in zip(ours, theirs, strict=True):
            common = set(mine) & set(twin)
            assert {k: mine[k] for k in common} == {k: twin[k] for k in common}
            assert {"asin", "quantityOrdered", "orderItemId"} <= common
