"""A Redis that is down never fails a message: the store paces alone (one warning) and goes back to
Redis when it answers again. The restart is a real one: a redis-server of the test's own, stopped and
started on the same port mid-run."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time

import pytest

from mws_component.lib.mws.clock import ManualClock
from mws_component.lib.mws.operations import quotas
from mws_component.lib.mws.pacing import Pacer
from mws_component.lib.mws.shared_quota import RedisQuotaStore, connect_redis, store_from_env

QUOTA = quotas()["ListOrderItems"]
LOGGER = "mws_component.mws.quota"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int, workdir) -> subprocess.Popen:
    server = subprocess.Popen([shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind",
                               "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = connect_redis(f"redis://127.0.0.1:{port}/0")
    for _ in range(100):
        try:
            if client.ping():
                return server
        except Exception:
            time.sleep(0.05)
    server.kill()
    pytest.fail("could not start a redis-server of the test's own")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)


def warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


def test_refused_connection_falls_back_to_the_local_pacer_with_one_warning(caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    clock = ManualClock()
    store = RedisQuotaStore(connect_redis(f"redis://127.0.0.1:{free_port()}/0"), clock, prefix="down")
    waits = [store.acquire("S1", QUOTA) for _ in range(QUOTA.burst + 3)]
    assert waits[:QUOTA.burst] == [0.0] * QUOTA.burst and all(w > 0 for w in waits[QUOTA.burst:])
    store.throttled("S1", QUOTA)
    store.hourly_exhausted("S1", QUOTA, clock.now() + 10)
    assert not store.up
    assert len(warnings(caplog)) == 1 and "does not answer" in warnings(caplog)[0]


def test_a_redis_restart_mid_run_falls_back_and_comes_back(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger=LOGGER)
    port = free_port()
    server = start_redis(port, tmp_path)
    try:
        clock = ManualClock()
        store = RedisQuotaStore(connect_redis(f"redis://127.0.0.1:{port}/0"), clock, prefix="restart",
                                retry_seconds=2.0)
        for _ in range(5):
            assert store.acquire("S1", QUOTA) == 0.0
        stop(server)
        for _ in range(5):  # Redis is gone: the messages still get their quota, locally
            store.acquire("S1", QUOTA)
        assert not store.up
        server = start_redis(port, tmp_path)  # back, and empty (no persistence)
        store.acquire("S1", QUOTA)
        assert not store.up  # not retried before retry_seconds
        clock.advance(2.0)
        store.acquire("S1", QUOTA)
        assert store.up
        assert connect_redis(f"redis://127.0.0.1:{port}/0").exists(store.keys("S1", QUOTA.group)[0])
        said = warnings(caplog)
        assert len(said) == 2 and "does not answer" in said[0] and "answers again" in said[1]
    finally:
        stop(server)


def test_the_process_store_is_chosen_by_redis_url(monkeypatch):
    clock = ManualClock()
    local = store_from_env(clock, environ={})
    assert isinstance(local, Pacer) and local.adaptive
    shared = store_from_env(clock, environ={"REDIS_URL": "redis://127.0.0.1:6379/0", "MWS_QUOTA_PREFIX": "p1"})
    assert isinstance(shared, RedisQuotaStore) and shared.prefix == "p1" and not shared.redis_time
    assert store_from_env(clock, "redis://127.0.0.1:6379/0", environ={}).prefix == "mws-quota"
