"""The component's own steps with SP-API credentials, against the sandbox's SP-API over loopback HTTP:
the same seller's world gives the same outputs as through MWS (issue 13's "done when")."""

from __future__ import annotations

import pytest

from mws_component.lib.connection import override
from tests.conftest import COMPONENT

START = "2025-11-01T00:00:00Z"
# Our MWS output fields SP-API has no counterpart for (lib/spapi/convert.py), and what it gives only
# for some orders; every other field must be equal.
NO_COUNTERPART = {"isGlobalExpressEnabled", "isSoldByAb", "shipServiceLevel", "orderChannel", "buyerCounty",
                  "isIba", "promiseResponseDueDate", "isEstimatedShipDateSet", "cbaDisplayableShippingLabel",
                  "defaultShipFromLocationAddress", "paymentMethod", "paymentMethodDetails", "buyerEmail",
                  "isAccessPointOrder"}
ITEM_NO_COUNTERPART = {"productInfo", "shippingTax", "shippingDiscount", "promotionDiscount", "promotionIds"}
PERSONAL = {"buyerName", "buyerEmail", "purchaseOrderNumber", "shippingAddress", "buyerTaxInfo"}


def _sp(world) -> dict:
    return {**world.sandbox.sp_api_credentials(world.url), "marketplaceIds": world.cfg["marketplaceIds"]}


def _shared(order: dict, drop: set[str]) -> dict:
    return {k: v for k, v in order.items() if k not in drop}


def test_verify_with_sp_api_credentials(world):
    creds = world.sandbox.sp_api_credentials(world.url)
    with override(clock=world.clock):
        assert COMPONENT.verify_credentials(creds) == {"verified": True}
        world.sandbox.revoke_refresh_token(0)
        refused = COMPONENT.verify_credentials(creds)
    assert refused["verified"] is False
    assert "invalid_grant" in refused["reason"] and "authorise the app again" in refused["reason"]
    assert creds["refreshToken"] not in refused["reason"] and creds["lwaClientSecret"] not in refused["reason"]


def test_list_orders_emits_the_same_orders_through_both_apis(world):
    through_mws = world.run("listOrders", {**world.cfg, "startTime": START})
    through_sp = world.run("listOrders", {**_sp(world), "startTime": START, "includePersonalData": "on"})
    assert through_mws.errors == [] and through_sp.errors == []
    mws = {o["amazonOrderId"]: o for o in through_mws.bodies}
    sp = {o["amazonOrderId"]: o for o in through_sp.bodies}
    assert len(sp) == len(through_sp.bodies)  # one message per order version, none repeated
    assert set(sp) == set(mws) and len(sp) > 100
    differing = {i for i in sp if _shared(sp[i], NO_COUNTERPART) != _shared(mws[i], NO_COUNTERPART)}
    assert differing == set()


def test_list_order_items_gives_the_same_items_through_both_apis(world):
    orders = [o for o in world.sandbox.orders_truth() if o["orderStatus"] == "Shipped"][:5]
    assert orders
    for order in orders:
        body = {"amazonOrderId": order["amazonOrderId"]}
        mws = world.run("listOrderItems", world.cfg, body=body)
        sp = world.run("listOrderItems", _sp(world), body=body)
        assert mws.errors == [] and sp.errors == []
        (mws_out,), (sp_out,) = mws.bodies, sp.bodies
        assert sp_out["amazonOrderId"] == order["amazonOrderId"] and sp_out["orderItems"]
        strip = [[_shared(i, ITEM_NO_COUNTERPART) for i in out["orderItems"]] for out in (mws_out, sp_out)]
        assert strip[0] == strip[1]


def test_without_personal_data_the_buyer_is_withheld_not_failed(world):
    run = world.run("listOrders", {**_sp(world), "startTime": START})
    assert run.errors == [] and run.bodies
    assert not any(PERSONAL & set(o) for o in run.bodies)


def test_the_marketplace_dropdown_on_sp_api(world):
    with override(clock=world.clock):
        step = COMPONENT.load_step("listOrders")
        offered = step.function("getMarketplaces")(_sp(world))
    own = world.sandbox.sp_api_credentials(world.url)["marketplaceId"]
    assert offered and own not in offered
    assert all(label.endswith(f"({i})") for i, label in offered.items())


@pytest.mark.parametrize(("step", "item"), [
    ("submitInventory", {"sku": "A-1", "quantity": -1}),
    ("changeProductPrice", {"sku": "A-1", "standardPrice": {"value": 5, "currency": "USD"}, "businessPrice": 3}),
])
def test_feed_steps_on_sp_api_refuse_bad_items_before_sending(world, step, item):
    """The feed steps run on SP-API (tests/spapi/listings); a wrong item is refused before any request."""
    run = world.run(step, _sp(world), body={"items": [item]})
    assert len(run.errors) == 1 and not run.bodies
    assert "nothing was sent" in str(run.errors[0]) and "items[0]" in str(run.errors[0])
    assert world.sandbox.feeds() == []
    assert world.sandbox.stats()["requests"] == 0


@pytest.mark.parametrize("api", ["spapi", "SP API", 3])
def test_an_unknown_api_is_refused_naming_the_field(world, api):
    run = world.run("listOrders", {**_sp(world), "api": api})
    assert len(run.errors) == 1
    assert "credentials field 'api' must be mws or sp-api" in str(run.errors[0])
    assert world.sandbox.stats()["requests"] == 0


def test_no_sp_api_secret_reaches_the_output_even_at_trace_level(world, tmp_path):
    import json
    import os
    import subprocess
    import sys

    creds = world.sandbox.sp_api_credentials(world.url)
    path = tmp_path / "creds.sp-api.json"
    path.write_text(json.dumps({**creds, "includePersonalData": True}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mws_component.cli", "run", "listOrders", "--credentials", str(path),
                           "--snapshot", str(tmp_path / "state.json"), "--log-format", "json"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "LOG_LEVEL": "trace"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("amazonOrderId") > 10
    everything = done.stdout + done.stderr + (tmp_path / "state.json").read_text()
    for secret in (creds["lwaClientSecret"], creds["refreshToken"], "Atza|", "Atzr|"):
        assert secret not in everything
