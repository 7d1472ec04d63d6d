"""The shared bucket in Redis: Amazon's arithmetic (the local Pacer's, wait for wait), shared by every
replica, namespaced per seller and group, expiring, and fair to waiting replicas."""

from __future__ import annotations

import time

import pytest

from mws_component.lib.mws.clock import ManualClock, SystemClock
from mws_component.lib.mws.errors import QuotaWaitError
from mws_component.lib.mws.operations import Quota, quotas
from mws_component.lib.mws.pacing import Pacer, transit
from mws_component.lib.mws.shared_quota import RedisQuotaStore

TINY = Quota("Tiny", 2, 0.05)


def store(redis_client, prefix, clock=None, **kw) -> RedisQuotaStore:
    return RedisQuotaStore(redis_client, clock or ManualClock(), prefix=prefix, **kw)


@pytest.mark.parametrize("group", ["ListOrderItems", "ListOrders", "SubmitFeed", "GetFeedSubmissionList"])
def test_the_shared_bucket_waits_exactly_as_the_local_pacer(redis_client, prefix, group):
    quota = quotas()[group]
    shared_clock, local_clock = ManualClock(), ManualClock()
    shared, local = store(redis_client, prefix, shared_clock), Pacer(local_clock)
    n = quota.burst + (quota.hourly or 20) + 3  # through the burst, the restore and, if any, the hourly cap
    ours = [round(shared.acquire("S1", quota, max_wait=1e5), 4) for _ in range(n)]
    theirs = [round(local.acquire("S1", quota, max_wait=1e5), 4) for _ in range(n)]
    assert ours == theirs
    assert shared_clock.now() == pytest.approx(local_clock.now())
    assert any(w > 0 for w in ours)  # the quota did bite


def test_replicas_share_one_bucket_and_a_throttle_empties_it_for_all(redis_client, prefix):
    clock = ManualClock()
    a, b = store(redis_client, prefix, clock), store(redis_client, prefix, clock)
    quota = quotas()["ListOrderItems"]
    for i in range(quota.burst):
        (a if i % 2 else b).acquire("S1", quota)
    assert clock.slept == 0
    after_burst = quota.restore_seconds + transit(quota)  # restoring starts when Amazon sees the first request
    assert b.acquire("S1", quota) == pytest.approx(after_burst, rel=0.01)  # a's takes count for b
    clock.advance(10 * quota.restore_seconds)
    a.throttled("S1", quota)  # Amazon said 503 to a: b must wait too
    assert b.acquire("S1", quota) == pytest.approx(quota.restore_seconds, rel=0.01)


def test_an_announced_hourly_block_holds_every_replica(redis_client, prefix):
    clock = ManualClock()
    a, b = store(redis_client, prefix, clock), store(redis_client, prefix, clock)
    quota = quotas()["SubmitFeed"]
    a.hourly_exhausted("S1", quota, clock.now() + 600)
    with pytest.raises(QuotaWaitError) as caught:
        b.acquire("S1", quota, max_wait=60)
    assert caught.value.retry_after == pytest.approx(600, abs=1)
    a.hourly_exhausted("S1", quota, clock.now() + 99_999)  # a hostile resetsOn counts as one hour
    with pytest.raises(QuotaWaitError) as caught:
        b.acquire("S1", quota, max_wait=60)
    assert caught.value.retry_after == pytest.approx(3600, abs=1)


def test_two_sellers_and_two_groups_never_touch_each_others_keys(redis_client, prefix):
    clock = ManualClock()
    s = store(redis_client, prefix, clock)
    quota = quotas()["ListOrderItems"]
    for _ in range(quota.burst):
        s.acquire("SELLER-A", quota)
    s.throttled("SELLER-A", quota)
    assert [s.acquire("SELLER-B", quota) for _ in range(quota.burst)] == [0.0] * quota.burst
    assert s.acquire("SELLER-A", quotas()["ListOrders"]) == 0.0
    assert set(redis_client.scan_iter(f"{prefix}:*")) == {
        k.encode() for seller, group in (("SELLER-A", "ListOrderItems"), ("SELLER-B", "ListOrderItems"),
                                         ("SELLER-A", "ListOrders")) for k in s.keys(seller, group)[:1]}
    other = store(redis_client, prefix + "-other", clock)  # another namespace: a full bucket of its own
    assert other.acquire("SELLER-A", quota) == 0.0
    redis_client.delete(*other.keys("SELLER-A", "ListOrderItems"))


def test_keys_expire_once_the_bucket_would_be_full_again(redis_client, prefix):
    s = store(redis_client, prefix, key_grace=0.2)
    s.acquire("S1", TINY)
    bucket = s.keys("S1", "Tiny")[0]
    assert 0 < redis_client.pttl(bucket) <= (TINY.burst * TINY.restore_seconds + 0.2) * 1000 + 1
    hourly = quotas()["SubmitFeed"]
    s.acquire("S1", hourly)
    assert redis_client.pttl(s.keys("S1", "SubmitFeed")[1]) > 3600 * 1000  # the hour's sends are kept an hour
    deadline = time.monotonic() + 2
    while redis_client.exists(bucket) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not redis_client.exists(bucket)


def test_waiters_are_served_in_order_and_a_newcomer_does_not_jump_the_queue(redis_client, prefix):
    clock = ManualClock()
    s = store(redis_client, prefix, clock)
    quota = Quota("Fair", 1, 10.0)
    assert s._run("take", "S1", quota)[0] == 0  # the one token
    wait_b, ticket_b, *_ = s._run("take", "S1", quota)
    wait_c, ticket_c, *_ = s._run("take", "S1", quota)
    assert wait_b == pytest.approx(10 + transit(quota), abs=0.1)
    assert ticket_b and ticket_c and wait_c == pytest.approx(wait_b + 10, abs=0.1)  # c is told: after b
    clock.advance(wait_b)
    assert s._run("take", "S1", quota)[0] > 0  # a newcomer: behind b and c
    assert s._run("take", "S1", quota, ticket=ticket_c)[0] > 0  # c: the one token is b's
    assert s._run("take", "S1", quota, ticket=ticket_b)[0] == 0  # b is served
    clock.advance(10 + transit(quota))  # b took from a full bucket (burst 1): Amazon restores from its arrival
    assert s._run("take", "S1", quota, ticket=ticket_c)[0] == 0  # then c


def test_a_waiter_that_went_silent_is_dropped_when_its_lease_runs_out(redis_client, prefix):
    clock = ManualClock()
    s = store(redis_client, prefix, clock, lease_grace=5.0)
    quota = Quota("Lease", 1, 10.0)
    s._run("take", "S1", quota)
    wait, dead, *_ = s._run("take", "S1", quota)  # this replica dies and never asks again
    _, alive, *_ = s._run("take", "S1", quota)
    clock.advance(wait + 1)
    assert s._run("take", "S1", quota, ticket=alive)[0] > 0  # the dead one's lease still runs
    clock.advance(5)
    assert s._run("take", "S1", quota, ticket=alive)[0] == 0


def test_a_wait_longer_than_allowed_raises_and_leaves_the_queue(redis_client, prefix):
    clock = ManualClock()
    s = store(redis_client, prefix, clock)
    quota = Quota("Long", 1, 100.0)
    s.acquire("S1", quota)
    with pytest.raises(QuotaWaitError):
        s.acquire("S1", quota, max_wait=5)
    assert redis_client.zcard(s.keys("S1", "Long")[2]) == 0
    assert clock.slept == 0


def test_with_the_real_clock_redis_time_rules_so_replica_clock_offsets_do_not_matter(redis_client, prefix):
    class Skewed(SystemClock):  # a replica whose machine runs 40 minutes ahead
        def now(self) -> float:
            return super().now() + 2400

    right, skewed = store(redis_client, prefix, SystemClock()), store(redis_client, prefix, Skewed())
    assert right.redis_time and skewed.redis_time
    quota = Quota("Skew", 1, 0.2)
    assert skewed._run("take", "S1", quota)[0] == 0
    wait, ticket, *_ = right._run("take", "S1", quota)  # no free token: 40 minutes of skew gave none
    assert 0.1 < wait <= 0.2 + transit(quota) + 0.01
    right._run("leave", "S1", quota, ticket=ticket)
