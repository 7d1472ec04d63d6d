"""``Connections`` chooses the process's quota store once per clock and gives it to every client."""

from __future__ import annotations

from mws_sandbox import Sandbox

from mws_component.lib.connection import Connections
from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.shared_quota import RedisQuotaStore


def test_every_client_of_a_clock_gets_the_one_store_and_redis_url_selects_redis(monkeypatch):
    cfg = Sandbox(seed=3).credentials("http://127.0.0.1:9")
    monkeypatch.delenv("REDIS_URL", raising=False)
    local = Connections()
    clock = ManualClock()
    with local.override(clock=clock):
        client = local.connect(cfg)
    assert isinstance(client.pacer, Pacer) and client.pacer.adaptive
    assert client.pacer is local.quota_store(clock)
    shared = Connections(redis_url="redis://127.0.0.1:6379/0", quota_prefix="conn-test")
    with shared.override(clock=clock):
        assert isinstance(shared.connect(cfg).pacer, RedisQuotaStore)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert isinstance(Connections().quota_store(clock), RedisQuotaStore)
    explicit = Pacer(clock)
    with local.override(clock=clock, pacer=explicit):
        assert local.connect(cfg).pacer is explicit  # tests and benchmarks still choose their own
