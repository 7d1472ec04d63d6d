"""listOrders against the sandbox, whose own record of every order is the oracle."""

from __future__ import annotations

from collections import Counter

import pytest
from eiosdk.testing import Collected

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.orders import state as st

BOTH_APIS = pytest.mark.parametrize("world", ["mws", "sp-api"], indirect=True)


def latest(runs: list[Collected]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for run in runs:
        for body in run.bodies:
            out[body["amazonOrderId"]] = body
    return out


def assert_exact(world, runs: list[Collected], start: str) -> None:
    """Every order changed since ``start`` emitted in its latest state; no version emitted twice."""
    versions = Counter((b["amazonOrderId"], st.as_datetime(b["lastUpdateDate"])) for r in runs for b in r.bodies)
    repeated = [v for v, n in versions.items() if n > 1]
    assert repeated == []
    emitted = latest(runs)
    truth = {o["amazonOrderId"]: o for o in world.sandbox.orders_truth()
             if st.as_datetime(o["lastUpdateDate"]) >= st.as_datetime(start)}
    assert set(emitted) == set(truth), f"lost: {sorted(set(truth) - set(emitted))[:5]}"
    for order_id, order in truth.items():
        assert st.as_datetime(emitted[order_id]["lastUpdateDate"]) == st.as_datetime(order["lastUpdateDate"])
        assert emitted[order_id]["orderStatus"] == order["orderStatus"]


@BOTH_APIS
def test_orders_are_emitted_once_each_in_lower_camel_case(world):
    cfg = {**world.cfg, "startTime": "2025-11-01T00:00:00Z"}
    run = world.run("listOrders", cfg)
    assert run.errors == [] and run.bodies
    assert_exact(world, [run], cfg["startTime"])
    order = next(b for b in run.bodies if b["orderStatus"] == "Shipped")
    assert {"amazonOrderId", "purchaseDate", "lastUpdateDate", "orderStatus", "orderTotal", "shippingAddress"} <= set(order)
    assert set(order["orderTotal"]) == {"currencyCode", "amount"}
    pending = [b for b in run.bodies if b["orderStatus"] == "Pending"]
    assert pending and all("orderTotal" not in b and "buyerEmail" not in b for b in pending)
    assert run.events.count("snapshot") >= 1 and run.events[-1] == "end"


@BOTH_APIS
def test_polls_with_activity_and_faults_lose_nothing_and_repeat_nothing(world):
    start = "2025-12-15T00:00:00Z"
    cfg = {**world.cfg, "startTime": start}
    world.sandbox.set_faults(throttleRate=0.15, errorRate=0.1, disconnectRate=0.1)
    runs, snapshot = [], {}
    for round_ in range(8):
        run = world.run("listOrders", cfg, snapshot)
        assert run.errors == [], run.errors
        runs.append(run)
        snapshot = run.snapshots[-1] if run.snapshots else snapshot
        world.sandbox.create_orders(7)
        world.sandbox.update_orders(5 + round_)  # includes cancellations and moves out of Pending
        world.clock.advance(90 + 37 * round_)
    world.sandbox.set_faults(throttleRate=0, errorRate=0, disconnectRate=0)
    world.clock.advance(180)  # past Amazon's 2-minute horizon: everything is answerable
    runs.append(world.run("listOrders", cfg, snapshot))
    assert_exact(world, runs, start)
    assert any(b["orderStatus"] == "Canceled" for r in runs[1:] for b in r.bodies)
    stats = world.sandbox.stats()
    assert stats["throttled"] > 0 and stats["errors"] > 0  # the faults really happened


@BOTH_APIS
def test_a_run_killed_between_pages_resumes_without_gap_or_repeat(world):
    start = "2025-12-01T00:00:00Z"
    cfg = {**world.cfg, "startTime": start, "maxResultsPerPage": "10"}
    first = world.run("listOrders", cfg, crash_when=lambda s: (s.get("window") or {}).get("count", 0) > 20)
    assert first.snapshots[-1]["window"]["token"]  # died mid-window, between pages
    world.sandbox.update_orders(10)  # the world moves on while the process is down
    world.clock.advance(300)
    second = world.run("listOrders", cfg, first.snapshots[-1])
    assert second.errors == []
    assert_exact(world, [first, second], start)


@BOTH_APIS
def test_a_resumed_run_whose_next_token_expired_walks_the_window_again_without_repeats(world):
    start = "2025-12-01T00:00:00Z"
    cfg = {**world.cfg, "startTime": start, "maxResultsPerPage": "10"}
    first = world.run("listOrders", cfg, crash_when=lambda s: (s.get("window") or {}).get("count", 0) > 20)
    saved = first.snapshots[-1]
    assert saved["window"]["token"] and first.bodies
    saved = {**saved, "window": {**saved["window"], "token": "AAAA" + saved["window"]["token"][::-1]}}
    second = world.run("listOrders", cfg, saved)
    assert second.errors == []
    assert_exact(world, [first, second], start)


@BOTH_APIS
def test_a_run_killed_mid_page_loses_nothing(world):
    start = "2025-12-20T00:00:00Z"
    cfg = {**world.cfg, "startTime": start, "maxResultsPerPage": "5"}
    first = world.run("listOrders", cfg, crash_after_snapshots=2)
    partial = Collected(bodies=first.bodies[:-2])  # the last two orders' messages were never delivered
    second = world.run("listOrders", cfg, first.snapshots[0])  # state persisted before the last page
    emitted = latest([partial, second])
    truth = {o["amazonOrderId"] for o in world.sandbox.orders_truth()
             if st.as_datetime(o["lastUpdateDate"]) >= st.as_datetime(start)}
    assert truth <= set(emitted)


@BOTH_APIS
def test_status_filter_sends_unshipped_with_partially_shipped_but_emits_only_what_was_asked(world):
    cfg = {**world.cfg, "startTime": "2025-11-01T00:00:00Z", "orderStatus": ["Unshipped"]}
    run = world.run("listOrders", cfg)
    assert run.errors == [] and run.bodies
    assert {b["orderStatus"] for b in run.bodies} == {"Unshipped"}
    truth = {o["amazonOrderId"] for o in world.sandbox.orders_truth() if o["orderStatus"] == "Unshipped"}
    assert {b["amazonOrderId"] for b in run.bodies} == truth


def test_backfill_walks_bounded_windows_within_quota(world):
    world.sandbox.create_orders(0)
    cfg = {**world.cfg, "startTime": "2025-06-01T00:00:00Z"}
    run = world.run("listOrders", cfg)
    assert run.errors == []
    stats = world.sandbox.stats()
    assert stats["throttled"] == 0 and stats["operations"]["ListOrders"]["requests"] > 6  # paced, not throttled
    assert len(run.snapshots) > 3  # several windows, each persisted
    assert_exact(world, [run], cfg["startTime"])


@pytest.mark.parametrize(("field", "value", "match"), [
    ("orderStatus", ["Shiped"], "unknown status"),
    ("startTime", "yesterday", "ISO 8601"),
    ("startTime", "2999-01-01T00:00:00Z", "in the future"),
    ("maxResultsPerPage", "500", "from 1 to 100"),
    ("fulfillmentChannel", "FBA", "AFN"),
    ("marketplaceIds", "XYZ", "unknown marketplace"),
])
def test_bad_fields_fail_before_any_request_naming_the_field(world, field, value, match):
    before = world.sandbox.stats()
    run = world.run("listOrders", {**world.cfg, field: value})
    assert len(run.errors) == 1 and isinstance(run.errors[0], ConfigurationError)
    assert field in str(run.errors[0]) and match in str(run.errors[0])
    after = world.sandbox.stats()
    if match == "in the future":  # judged on Amazon's clock: one probe (nothing of the input in it), no listing
        assert after["operations"].get("ListOrders", {}).get("requests", 0) == 0
        assert after["requests"] - before["requests"] <= 1
    else:
        assert after == before
