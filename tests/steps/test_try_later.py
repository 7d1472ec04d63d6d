"""Quota a step cannot get in time: an action's message is rebounded (never failed, never half-sent),
and a poll of the trigger ends early with its snapshot consistent (issue 11 §3)."""

from __future__ import annotations

from datetime import timedelta

from mws_component.lib.connection import override
from mws_component.lib.mws.retry import RetryPolicy
from mws_component.lib.orders import state as st
from tests.orders.test_list_orders import assert_exact


def test_a_feed_beyond_the_hourly_submit_feed_quota_is_rebounded_not_failed(world):
    sku = next(iter(world.sandbox.catalogue()))
    runs = [world.run("submitInventory", world.cfg, body={"sku": sku, "quantity": n}) for n in range(31)]
    sent, last = runs[:30], runs[30]
    assert all(r.errors == [] and r.bodies for r in sent)  # 15 at once, then one every 2 minutes
    assert last.errors == [] and last.bodies == [] and len(last.rebounds) == 1
    assert "quota" in str(last.rebounds[0]) and "SubmitFeed" in str(last.rebounds[0])
    assert len(world.sandbox.feeds()) == 30  # the 31st was not sent: it waits for the platform's retry
    assert world.sandbox.stats()["throttled"] == 0  # and Amazon never had to refuse anything


def test_a_poll_cut_short_by_quota_keeps_its_snapshot_and_the_next_poll_goes_on(world):
    start = "2025-08-01T00:00:00Z"  # a backfill of months: many ListOrders pages
    cfg = {**world.cfg, "startTime": start}
    runs, snapshot = [], None
    with override(policy=RetryPolicy(max_quota_wait=30)):  # shorter than ListOrders' one-a-minute restore
        for _ in range(40):
            run = world.run("listOrders", cfg, snapshot)
            assert run.errors == []
            runs.append(run)
            snapshot = run.snapshots[-1] if run.snapshots else snapshot
            if st.as_datetime(world.sandbox.now_iso()) - st.as_datetime(snapshot["cursor"]) < timedelta(hours=1):
                break  # caught up
            world.clock.advance(120)  # the platform's next poll: two ListOrders restored
    first_cursor = st.as_datetime(runs[0].snapshots[-1]["cursor"])
    assert st.as_datetime(world.sandbox.now_iso()) - first_cursor > timedelta(days=7)  # the first poll was cut
    assert len(runs) > 2  # into several polls, each going on from the last
    assert_exact(world, runs, start)
