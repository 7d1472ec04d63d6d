"""listOrders' ``endTime`` (a bounded chunk) and ``dateKind`` (created vs last-updated), on both APIs.

The sandbox's own record of every order is the oracle, as in ``test_list_orders``.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone

import pytest

from mws_component.lib.mws.errors import ConfigurationError
from mws_component.lib.orders import state as st

from .test_list_orders import BOTH_APIS, assert_exact

START, END = "2025-12-01T00:00:00Z", "2025-12-10T00:00:00Z"
LISTINGS = ("ListOrders", "ListOrdersByNextToken", "searchOrders")


def updated_between(world, start: str, end: str) -> set[str]:
    low, high = st.as_datetime(start), st.as_datetime(end)
    return {o["amazonOrderId"] for o in world.sandbox.orders_truth()
            if low <= st.as_datetime(o["lastUpdateDate"]) <= high}


def created_since(world, start: str) -> set[str]:
    backend = world.sandbox.backend
    since = st.as_datetime(start).timestamp()
    return {o.amazon_order_id for o in backend.orders.of_seller(backend.primary.seller_id) if o.purchase_date >= since}


def listings(world) -> int:
    operations = world.sandbox.stats()["operations"]
    return sum(operations.get(name, {}).get("requests", 0) for name in LISTINGS)


def said(capsys, text: str) -> int:
    """How many log lines written so far carry ``text``."""
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    return sum(text in json.loads(line).get("msg", "") for line in lines)


@BOTH_APIS
def test_a_chunk_emits_exactly_the_orders_updated_in_it_then_later_polls_emit_nothing_and_say_so(world, capsys):
    cfg = {**world.cfg, "startTime": START, "endTime": END}
    run = world.run("listOrders", cfg)
    assert run.errors == [] and run.bodies
    ids = Counter(b["amazonOrderId"] for b in run.bodies)
    assert set(ids) == updated_between(world, START, END) and max(ids.values()) == 1
    assert run.snapshot["cursor"] == END and "window" not in run.snapshot
    done = f"orders up to {END} are done; set a later endTime or clear it to go on"
    assert said(capsys, done) == 1

    world.sandbox.create_orders(5)
    world.sandbox.update_orders(10)
    world.clock.advance(600)
    asked = listings(world)
    for _ in range(2):
        later = world.run("listOrders", cfg, run.snapshot)
        assert later.errors == [] and later.bodies == [] and later.snapshots == []
        assert said(capsys, done) == 1  # once per poll
    assert listings(world) == asked  # nothing is asked once the chunk is done


@BOTH_APIS
def test_a_later_end_time_continues_from_the_cursor_without_repeats_or_gaps(world):
    runs = [world.run("listOrders", {**world.cfg, "startTime": START, "endTime": END})]
    world.sandbox.update_orders(15)  # changed now, after the chunk: the open-ended poll below emits them
    world.clock.advance(300)
    runs.append(world.run("listOrders", {**world.cfg, "startTime": START, "endTime": "2025-12-20T00:00:00Z"},
                          runs[-1].snapshot))
    assert runs[-1].errors == [] and runs[-1].bodies
    assert min(st.as_datetime(b["lastUpdateDate"]) for b in runs[-1].bodies) >= st.as_datetime(END)  # no restart
    assert {b["amazonOrderId"] for b in runs[-1].bodies} == updated_between(world, END, "2025-12-20T00:00:00Z")
    runs.append(world.run("listOrders", {**world.cfg, "startTime": START}, runs[-1].snapshot))  # cleared: go on
    assert runs[-1].errors == []
    assert_exact(world, runs, START)


@BOTH_APIS
def test_an_end_time_later_than_amazons_now_walks_to_now_and_finishes_once_it_is_passed(world, capsys):
    cfg = {**world.cfg, "startTime": "2025-12-20T00:00:00Z", "endTime": "2026-01-01T01:00:00Z"}
    runs = [world.run("listOrders", cfg)]
    assert runs[0].errors == [] and said(capsys, "are done") == 0  # Amazon's now is 2026-01-01T00:00Z
    world.sandbox.update_orders(8)
    world.clock.advance(2 * 3600)
    runs.append(world.run("listOrders", cfg, runs[0].snapshot))
    assert runs[-1].errors == [] and runs[-1].snapshot["cursor"] == "2026-01-01T01:00:00Z"
    assert said(capsys, "orders up to 2026-01-01T01:00:00Z are done") == 1
    assert_exact(world, runs, cfg["startTime"])


@BOTH_APIS
def test_created_mode_emits_each_order_once_and_not_again_after_it_changes(world):
    cfg = {**world.cfg, "startTime": START, "dateKind": "created"}
    first = world.run("listOrders", cfg)
    assert first.errors == [] and first.snapshot["dateKind"] == "created"
    ids = Counter(b["amazonOrderId"] for b in first.bodies)
    assert set(ids) == created_since(world, START) and max(ids.values()) == 1

    changed = set(world.sandbox.update_orders(40)) & set(ids)
    new = set(world.sandbox.create_orders(6))
    world.clock.advance(300)
    second = world.run("listOrders", cfg, first.snapshot)
    assert changed and second.errors == []
    assert {b["amazonOrderId"] for b in second.bodies} == new  # the changed ones are not emitted again

    again = world.run("listOrders", {**cfg, "dateKind": "lastUpdated"}, second.snapshot)  # another kind: over
    assert again.errors == [] and again.snapshot["dateKind"] == "lastUpdated"
    assert changed <= {b["amazonOrderId"] for b in again.bodies}


@BOTH_APIS
def test_a_created_chunk_emits_the_orders_created_in_it(world):
    backend = world.sandbox.backend
    low, high = st.as_datetime(START).timestamp(), st.as_datetime(END).timestamp()
    truth = {o.amazon_order_id for o in backend.orders.of_seller(backend.primary.seller_id)
             if low <= o.purchase_date <= high}
    run = world.run("listOrders", {**world.cfg, "startTime": START, "endTime": END, "dateKind": "created"})
    assert run.errors == [] and run.snapshot["cursor"] == END
    assert sorted(b["amazonOrderId"] for b in run.bodies) == sorted(truth)


@BOTH_APIS
def test_an_end_time_before_the_default_start_is_refused_on_amazons_clock_with_nothing_listed(world):
    before = world.sandbox.stats()
    run = world.run("listOrders", {**world.cfg, "endTime": "2025-11-01T00:00:00Z"})  # default start: 2025-12-02
    (err,) = run.errors
    assert type(err) is ConfigurationError and err.field == "endTime" and "30 days back" in str(err)
    assert listings(world) == 0 and world.sandbox.stats()["requests"] - before["requests"] <= 1
    assert run.bodies == [] and run.snapshots == []


@pytest.mark.parametrize(("field", "value", "match"), [
    ("endTime", "2025-11-30T00:00:00Z", "must be after startTime"),
    ("endTime", "next week", "ISO 8601"),
    ("dateKind", "purchased", "lastUpdated"),
])
def test_bad_bounds_are_refused_before_any_request_naming_the_field(world, field, value, match):
    before = world.sandbox.stats()
    run = world.run("listOrders", {**world.cfg, "startTime": START, field: value})
    (err,) = run.errors
    assert isinstance(err, ConfigurationError) and err.field == field and f"'{field}'" in str(err)
    assert match in str(err)
    assert world.sandbox.stats() == before


def test_a_snapshot_from_before_date_kinds_continues_as_last_updated_and_a_new_kind_starts_over():
    old = {k: v for k, v in st.initial("", "2025-12-05T00:00:00Z").items() if k != "dateKind"}
    assert st.ensure(old, "", "2025-12-01T00:00:00Z") is old
    fresh = st.ensure(old, "", "2025-12-01T00:00:00Z", "created")
    assert fresh["cursor"] == "2025-12-01T00:00:00Z" and fresh["dateKind"] == "created"


def test_reached_only_with_no_window_open_and_the_cursor_at_or_past_the_end():
    end = datetime(2025, 12, 10, tzinfo=timezone.utc)
    at = st.initial("", "2025-12-10T00:00:00Z")
    assert st.reached(at, end) and not st.reached(at, None)
    assert not st.reached(st.initial("", "2025-12-09T23:59:59Z"), end)
    assert not st.reached(st.open_window(at, "2025-12-10T01:00:00Z"), end)
