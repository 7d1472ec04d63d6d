"""Without Redis: each replica's adaptive rate. Simulated, in event order, against a model of
Amazon's bucket: the real ``Pacer`` of each replica decides; its clock's ``sleep`` hands the wait
back to the simulation (``Later``) instead of sleeping it."""

from __future__ import annotations

import heapq

import pytest

from mws_component.lib.mws.adaptive import BETA, AdaptiveRate
from mws_component.lib.mws.operations import quotas
from mws_component.lib.mws.pacing import Pacer

QUOTA = quotas()["ListOrderItems"]


class Later(Exception):
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


class Now:
    t = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        raise Later(seconds)  # the replica would sleep: the simulation wakes it then


def simulate(replicas: int, adaptive: bool, seconds: float = 1200.0, latency: float = 0.05) -> dict:
    clock = Now()
    pacers = [Pacer(clock, adaptive=adaptive) for _ in range(replicas)]
    amazon = {"tokens": float(QUOTA.burst), "at": 0.0}
    ok, throttled = [0] * replicas, 0
    events = [(0.0, i) for i in range(replicas)]
    while events:
        t, i = heapq.heappop(events)
        if t > seconds:
            break
        clock.t = t
        try:
            pacers[i].acquire("S1", QUOTA, max_wait=3600)
        except Later as wait:
            heapq.heappush(events, (t + wait.seconds, i))
            continue
        amazon["tokens"] = min(QUOTA.burst, amazon["tokens"] + (t - amazon["at"]) / QUOTA.restore_seconds)
        amazon["at"] = t
        if amazon["tokens"] >= 1:
            amazon["tokens"] -= 1
            ok[i] += 1
        else:
            throttled += 1
            pacers[i].throttled("S1", QUOTA)
        heapq.heappush(events, (t + latency, i))
    requests = sum(ok) + throttled
    return {"throttled_ratio": throttled / requests, "efficiency": sum(ok) / (QUOTA.burst + seconds / 2)}


def test_four_uncoordinated_replicas_stay_well_below_a_tenth_throttled_at_full_speed():
    adaptive = simulate(4, adaptive=True)
    assert adaptive["throttled_ratio"] <= 0.08
    assert adaptive["efficiency"] >= 0.95
    blind = simulate(4, adaptive=False)  # what the issue measured: each replica with the whole quota
    assert blind["throttled_ratio"] >= 0.5


def test_one_replica_alone_is_never_slowed():
    alone = simulate(1, adaptive=True)
    assert alone["throttled_ratio"] == 0 and alone["efficiency"] >= 0.99


def test_the_rate_limits_nothing_until_a_throttle_then_cuts_and_probes_back_up():
    rate = AdaptiveRate(restore_seconds=2.0)
    for t in range(0, 20, 2):
        assert rate.wait(float(t)) == 0.0
        rate.sent(float(t))
    rate.throttled(20.0)  # it sent one per restore period: 1.0
    assert rate.current(20.0) == pytest.approx(BETA)
    assert rate.wait(20.0) == pytest.approx(2.0 / BETA - 2.0)  # the next send is spaced at the cut rate
    later = [rate.current(20.0 + 2.0 * periods) for periods in (10, 100, 200, 400)]
    assert later == sorted(later) and later[-1] == 1.0  # probes back up, never above the quota's rate


def test_the_adaptive_rate_is_dropped_rather_than_put_a_message_off():
    clock = Now()
    pacer = Pacer(clock, adaptive=True)
    for _ in range(QUOTA.burst):
        pacer.acquire("S1", QUOTA)
    clock.t = 100.0  # the bucket is full again
    pacer.throttled("S1", QUOTA)  # someone else spent it: the rate is cut
    clock.t = 102.5
    pacer.acquire("S1", QUOTA, max_wait=3600)  # one token restored since the throttle
    clock.t = 105.0
    with pytest.raises(Later) as wait:  # the adaptive rate spaces the next request ...
        pacer.acquire("S1", QUOTA, max_wait=3600)
    assert wait.value.seconds > QUOTA.restore_seconds
    assert pacer.acquire("S1", QUOTA, max_wait=1.0) == 0.0  # ... unless that would put the message off
