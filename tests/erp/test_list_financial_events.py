"""listFinancialEvents against the sandbox, whose own ledger is the oracle: every order's money exactly
once, to the cent, under faults, kills and expired tokens; the snapshot within the platform's 5 KB."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal

import pytest
from eiosdk.testing import Collected

from mws_component.lib.finances import state as st
from mws_component.lib.mws.errors import ConfigurationError

START = "2025-11-01T00:00:00Z"
BOTH_APIS = pytest.mark.parametrize("world", ["mws", "sp-api"], indirect=True)


def cfg_of(world, **extra) -> dict:
    return {**world.credentials, "startTime": START, "settleHours": "0", **extra}


def emitted_totals(runs: list[Collected]) -> dict[str, dict[str, Decimal]]:
    sums: dict[str, dict[str, Decimal]] = {}
    for run in runs:
        for body in run.bodies:
            if body["kind"] != "order":
                continue
            order = sums.setdefault(body["amazonOrderId"], {})
            for total in body["totals"]:
                order[total["currencyCode"]] = order.get(total["currencyCode"], Decimal(0)) + Decimal(total["amount"])
    return sums


def reached(runs: list[Collected]) -> float:
    """Where the last poll left the cursor: the ledger is compared up to there (what was posted later is
    for the next poll)."""
    last = next(r.snapshots[-1] for r in reversed(runs) if r.snapshots)
    assert "window" not in last  # the poll finished its last window
    return st.as_datetime(last["cursor"]).timestamp()


def truth_totals(world, before: float) -> dict[str, dict[str, Decimal]]:
    truth = world.sandbox.finances_truth(before)["orders"]
    return {i: {c: Decimal(a) for c, a in sums.items()} for i, sums in truth.items()}


def events_of(runs: list[Collected]) -> Counter:
    """Every order's event emitted, by its content (an event emitted twice counts 2). Events without an
    order may be identical (two monthly fees, no date): ``assert_exact`` counts those against the ledger."""
    found: Counter = Counter()
    for run in runs:
        for body in (b for b in run.bodies if b["kind"] == "order"):
            for list_name, events in body["events"].items():
                found.update(list_name + json.dumps(e, sort_keys=True) for e in events)
    return found


def assert_exact(world, runs: list[Collected]) -> None:
    """Each order's emitted money equals the ledger's, no event twice, every orderless event once."""
    before = reached(runs)
    assert emitted_totals(runs) == truth_totals(world, before)
    assert [n for n in events_of(runs).values() if n > 1] == []
    others = [b for r in runs for b in r.bodies if b["kind"] != "order"]
    ledger_others = [o for o in world.sandbox.finances_truth(before)["other"]
                     if o["posted"] >= st.as_datetime(START).timestamp()]
    assert sorted(b["totals"][0]["amount"] for b in others) == sorted(o["amount"] for o in ledger_others)


@BOTH_APIS
def test_every_orders_money_is_emitted_once_exactly_as_the_ledger_has_it(world):
    run = world.run("listFinancialEvents", cfg_of(world))
    assert run.errors == [] and run.events[-1] == "end"
    assert_exact(world, [run])
    shipped = [b for b in run.bodies if "shipmentEventList" in b["events"]]
    assert len(shipped) > 50
    types = {(line["category"], line["type"]) for b in run.bodies for line in b["lines"]}
    assert {("charge", "Principal"), ("charge", "Tax"), ("fee", "Commission"),
            ("fee", "FBAPerUnitFulfillmentFee"), ("fee", "Subscription")} <= types
    assert any("refundEventList" in b["events"] for b in run.bodies)  # returns of seeded shipped orders
    for body in run.bodies:  # totals are the exact sum of the lines, as text
        assert all(isinstance(t["amount"], str) for t in body["totals"])
        for total in body["totals"]:
            lines = [Decimal(x["amount"]) for x in body["lines"] if x["currencyCode"] == total["currencyCode"]]
            assert sum(lines, Decimal(0)) == Decimal(total["amount"])
    assert {b["kind"] for b in run.bodies} == {"order", "serviceFee"}
    assert all(len(json.dumps(s)) < st.SNAPSHOT_CHARS for s in run.snapshots)


@BOTH_APIS
def test_polls_with_shipments_cancellations_and_faults_lose_and_repeat_nothing(world):
    world.sandbox.set_faults(throttleRate=0.15, errorRate=0.1, disconnectRate=0.1)
    runs, snapshot = [], {}
    for round_ in range(8):
        run = world.run("listFinancialEvents", cfg_of(world, maxResultsPerPage="7"), snapshot)
        assert run.errors == [], run.errors
        runs.append(run)
        snapshot = run.snapshots[-1] if run.snapshots else snapshot
        world.sandbox.create_orders(5)
        world.sandbox.update_orders(12 + round_)  # ships (fully and partly) and cancels
        world.clock.advance(3600 * 9 + 37 * round_)  # returns fall due days after their shipment
    world.sandbox.set_faults(throttleRate=0, errorRate=0, disconnectRate=0)
    world.clock.advance(600)  # past Amazon's two minutes: everything posted is answerable
    runs.append(world.run("listFinancialEvents", cfg_of(world), snapshot))
    assert_exact(world, runs)
    later = [b for r in runs[1:] for b in r.bodies]
    assert any("shipmentEventList" in b["events"] for b in later)
    assert world.sandbox.stats()["throttled"] > 0 and world.sandbox.stats()["errors"] > 0


@BOTH_APIS
def test_a_run_killed_between_pages_resumes_without_gap_or_repeat(world):
    cfg = cfg_of(world, maxResultsPerPage="5")
    first = world.run("listFinancialEvents", cfg,
                      crash_when=lambda s: (s.get("window") or {}).get("count", 0) >= 15)
    assert first.snapshots[-1]["window"]["token"]  # died mid-window, between pages
    world.sandbox.update_orders(10)  # the world moves on while the process is down
    world.clock.advance(300)
    second = world.run("listFinancialEvents", cfg, first.snapshots[-1])
    assert second.errors == []
    assert_exact(world, [first, second])


@BOTH_APIS
def test_a_resumed_run_whose_next_token_expired_walks_the_window_again_without_repeats(world):
    cfg = cfg_of(world, maxResultsPerPage="5")
    first = world.run("listFinancialEvents", cfg,
                      crash_when=lambda s: (s.get("window") or {}).get("count", 0) >= 15)
    saved = first.snapshots[-1]
    assert saved["window"]["token"] and saved["window"]["done"]
    saved = {**saved, "window": {**saved["window"], "token": "AAAA" + saved["window"]["token"][::-1]}}
    second = world.run("listFinancialEvents", cfg, saved)
    assert second.errors == []
    assert_exact(world, [first, second])
    refused = "ListFinancialEventsByNextToken" if world.api == "mws" else "listFinancialEvents"
    assert world.sandbox.stats()["operations"][refused]["errors"] >= 1


@BOTH_APIS
def test_a_run_killed_mid_page_loses_nothing(world):
    cfg = cfg_of(world, maxResultsPerPage="5")
    first = world.run("listFinancialEvents", cfg,
                      crash_when=lambda s: (s.get("window") or {}).get("count", 0) >= 10)
    saved_at = [n for n, e in enumerate(first.events) if e == "snapshot"][-2]
    delivered = first.events[:saved_at].count("data")
    assert 0 < delivered < len(first.bodies)  # the last page was emitted, then its messages were lost
    partial = Collected(bodies=first.bodies[:delivered])
    second = world.run("listFinancialEvents", cfg, first.snapshots[-2])  # the state saved before that page
    assert second.errors == []
    assert_exact(world, [partial, second])


def test_a_busy_window_keeps_the_snapshot_under_5_kb(world):
    world.sandbox.create_orders(600)
    world.clock.advance(3600)
    world.sandbox.update_orders(600)
    world.sandbox.update_orders(600)
    world.clock.advance(3600)
    run = world.run("listFinancialEvents", cfg_of(world, maxResultsPerPage="10"))
    assert run.errors == []
    sizes = [len(json.dumps(s)) for s in run.snapshots]
    assert max(sizes) < st.SNAPSHOT_CHARS and max(len(s.get("window", {}).get("done", "")) for s in run.snapshots) > 0
    assert_exact(world, [run])


@pytest.mark.parametrize("world", ["sp-api"], indirect=True)
def test_sp_api_reads_the_same_events_as_mws_does(world):
    sp_api = world.run("listFinancialEvents", cfg_of(world))
    mws = world.run("listFinancialEvents", {**world.sandbox.credentials(world.url), "startTime": START,
                                            "settleHours": "0"})
    assert sp_api.errors == mws.errors == []
    assert valued(sp_api.bodies) == valued(mws.bodies)  # the same messages, every amount to the cent
    assert "162.2" in json.dumps(sp_api.bodies) and "162.20" in json.dumps(mws.bodies)  # as each API writes it


def valued(value):
    """Amounts as Decimal: SP-API sends JSON numbers (162.2), MWS text (162.20); equal in value."""
    if isinstance(value, list):
        return [valued(v) for v in value]
    if isinstance(value, dict):
        return {k: Decimal(v) if k == "amount" and isinstance(v, str) else valued(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize(("cfg", "snapshot", "field"), [
    ({"startTime": "2030-01-01T00:00:00Z"}, None, "startTime"),
    ({"startTime": "yesterday"}, None, "startTime"),
    ({"maxResultsPerPage": "0"}, None, "maxResultsPerPage"),
    ({"settleHours": "721"}, None, "settleHours"),
    ({}, {"v": 1, "start": "2025-11-01T00:00:00Z", "cursor": "soon", "windowSeconds": 3600}, "snapshot"),
])
def test_bad_settings_and_corrupt_snapshots_are_refused_before_listing(world, cfg, snapshot, field):
    run = world.run("listFinancialEvents", {**cfg_of(world), **cfg}, snapshot)
    (error,) = run.errors
    assert isinstance(error, ConfigurationError) and error.field == field
    assert run.bodies == [] and world.sandbox.stats()["operations"].get("ListFinancialEvents") is None


@BOTH_APIS
def test_by_default_a_poll_stays_48_hours_behind_for_late_postings(world):
    world.sandbox.create_orders(40)
    for _ in range(3):
        world.sandbox.update_orders(40)  # on to Unshipped, then shipped: money posted now
    world.clock.advance(600)
    recent = set(truth_totals(world, world.clock.now())) - set(truth_totals(world, world.clock.now() - 3600))
    run = world.run("listFinancialEvents", {**world.credentials, "startTime": START})
    assert run.errors == [] and recent
    cursor = st.as_datetime(run.snapshots[-1]["cursor"]).timestamp()
    assert world.clock.now() - 48 * 3600 - 240 < cursor <= world.clock.now() - 48 * 3600 - 180
    assert not recent & set(emitted_totals([run]))
    world.clock.advance(48 * 3600)
    later = world.run("listFinancialEvents", {**world.credentials, "startTime": START}, run.snapshots[-1])
    assert later.errors == [] and recent <= set(emitted_totals([later]))  # settled since
    assert_exact(world, [run, later])


def test_a_start_time_change_starts_over_and_the_default_looks_back_30_days(world):
    run = world.run("listFinancialEvents", {**world.credentials, "settleHours": 0})
    assert run.errors == []
    first = run.snapshots[0]
    assert first["start"] == "" and st.as_datetime(first["cursor"]).timestamp() < world.clock.now() - 29 * 86400
    again = world.run("listFinancialEvents", cfg_of(world), run.snapshots[-1])
    assert again.bodies and again.snapshots[0]["start"] == START
