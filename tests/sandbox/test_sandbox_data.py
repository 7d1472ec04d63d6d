"""Seeded data: deterministic per seed, realistic per mws.md §3.3, and the order life cycle."""

from __future__ import annotations

import re
import time

from mws_sandbox import OffsetClock, Sandbox
from mws_sandbox.models.orders import CANCELED, PENDING

from mws_component.lib.mws.clock import ManualClock

ALLOWED = {"Pending": {"Unshipped", "Canceled"}, "Unshipped": {"PartiallyShipped", "Shipped", "Canceled"},
           "PartiallyShipped": {"Shipped"}}


def build(seed=11, orders=200):
    return Sandbox(ManualClock(1_700_000_000), seed=seed, orders=orders)


def test_same_seed_same_everything_other_seed_different():
    a, b, c = build(), build(), build(seed=12)
    assert a.credentials("x") == b.credentials("x") != c.credentials("x")
    assert a.orders_truth() == b.orders_truth() != c.orders_truth()
    assert a.catalogue() == b.catalogue()
    assert a.create_orders(3) == b.create_orders(3)
    assert a.update_orders(5) == b.update_orders(5)


def test_credentials_look_like_amazons():
    creds = build(orders=0).credentials("http://127.0.0.1:9")
    assert set(creds) == {"sellerId", "mwsAuthToken", "accessKeyId", "secretKey", "marketplaceId", "endpoint"}
    assert re.fullmatch(r"A[A-Z0-9]{13}", creds["sellerId"])
    assert re.fullmatch(r"AKIA[A-Z0-9]{16}", creds["accessKeyId"])
    assert len(creds["secretKey"]) == 40
    assert re.fullmatch(r"amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", creds["mwsAuthToken"])
    assert (creds["marketplaceId"], creds["endpoint"]) == ("ATVPDKIKX0DER", "http://127.0.0.1:9")


def test_orders_are_realistic():
    sandbox = build()
    orders = list(sandbox.backend.orders.orders.values())
    assert len(orders) == 200 == len({o.amazon_order_id for o in orders})
    assert all(re.fullmatch(r"\d{3}-\d{7}-\d{7}", o.amazon_order_id) for o in orders)
    assert len({o.marketplace_id for o in orders}) >= 3 and len({o.currency for o in orders}) >= 3
    assert {o.channel for o in orders} == {"AFN", "MFN"}
    assert {o.status for o in orders} == {"Pending", "Unshipped", "PartiallyShipped", "Shipped", "Canceled"}
    assert any(not o.buyer_name.isascii() for o in orders if o.revealed)
    assert any(not o.address.city.isascii() for o in orders if o.revealed)
    assert all(not o.revealed for o in orders if o.status == PENDING)
    assert all(o.purchase_date <= o.last_update <= 1_700_000_000 - 120 for o in orders)
    assert sum(len(o.items) > 20 for o in orders) >= 4
    assert sum(len(o.items) > 1 for o in orders) > 40
    partial = [o for o in orders if o.status == "PartiallyShipped"]
    assert all(0 < o.shipped_count < o.shipped_count + o.unshipped_count for o in partial)


def test_update_moves_orders_one_allowed_step_at_sandbox_now():
    sandbox = build()
    before = {o["amazonOrderId"]: o for o in sandbox.orders_truth()}
    sandbox.advance(600)
    moved = sandbox.update_orders(40)
    after = {o["amazonOrderId"]: o for o in sandbox.orders_truth()}
    assert len(moved) == 40
    for order_id in moved:
        assert after[order_id]["orderStatus"] in ALLOWED[before[order_id]["orderStatus"]]
        assert after[order_id]["lastUpdateDate"] == "2023-11-14T22:23:20Z"
        order = sandbox.backend.orders.orders[order_id]
        assert order.revealed or (order.status == CANCELED and before[order_id]["orderStatus"] == "Pending")
    untouched = set(before) - set(moved)
    assert all(after[i] == before[i] for i in untouched)


def test_updates_run_out_when_every_order_is_final_and_cancellations_happen():
    sandbox = build(orders=30)
    statuses = set()
    for _ in range(20):
        sandbox.advance(60)
        sandbox.update_orders(30)
        statuses |= {o["orderStatus"] for o in sandbox.orders_truth()}
    assert {o["orderStatus"] for o in sandbox.orders_truth()} <= {"Shipped", "Canceled"}
    assert sandbox.update_orders(5) == []
    assert "Canceled" in statuses


def test_new_orders_start_pending_at_now():
    sandbox = build(orders=0)
    sandbox.advance(5)
    ids = sandbox.create_orders(4)
    assert [o["orderStatus"] for o in sandbox.orders_truth()] == ["Pending"] * 4
    assert {o["lastUpdateDate"] for o in sandbox.orders_truth()} == {"2023-11-14T22:13:25Z"}
    assert [o["amazonOrderId"] for o in sandbox.orders_truth()] == ids


def test_default_clock_is_real_time_that_can_be_advanced():
    sandbox = Sandbox(seed=1)
    assert isinstance(sandbox.clock, OffsetClock)
    assert abs(sandbox.clock.now() - time.time()) < 5
    sandbox.advance(3600)
    assert abs(sandbox.clock.now() - time.time() - 3600) < 5


def test_second_seller_has_many_marketplaces_and_no_orders():
    sandbox = build(orders=5)
    other = sandbox.credentials("x", seller=1)
    assert other["sellerId"] != sandbox.credentials("x")["sellerId"]
    assert other["accessKeyId"] == sandbox.credentials("x")["accessKeyId"]
    assert len(sandbox.backend.seller(1).participations) == 11
    assert sandbox.backend.orders.of_seller(other["sellerId"]) == []
