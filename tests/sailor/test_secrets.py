"""No secret in what the sailor logs or publishes, at any level: real ``submitInventory`` steps send real
signed requests to a loopback sandbox, with LOG_LEVEL=trace and stdlib ``logging`` bridged at DEBUG
(urllib3 then logs each signed URL). A request's Signature is new every time and registered nowhere;
``tests.sdk.leaks`` records each one so the tests can look for it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from eiosdk import logging as sdk_logging

from mws_component.lib.connection import override
from tests.sdk.leaks import (
    INVENTORY,
    LEVELS,
    LoudTransport,
    UnreachableTransport,
    assert_clean,
    forbidden,
    recording_sandbox,
    stdlib_bridge,
)

from .conftest import sailor_env, step_data
from .harness import SailorProcess, running_sailor, wait_for

pytestmark = pytest.mark.rabbitmq

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def sandbox():
    with recording_sandbox(seed=11) as running:
        yield running


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def signed_url_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line.get("logger") == "urllib3.connectionpool" and "?" in line["msg"]]


def test_the_sailor_process_at_trace_level_logs_no_secret(topology, platform, cipher, sandbox, tmp_path):
    box, url, seen = sandbox
    cfg = box.credentials(url)
    platform.steps[("flow-1", "step_2")] = step_data(cfg)
    log_path = tmp_path / "sailor.log"
    sailor = SailorProcess({**sailor_env(topology, platform, "submitInventory"), "LOG_LEVEL": "trace"},
                           log_path, root=REPO)
    try:
        sailor.wait_listening(topology)
        topology.publish_input({"body": INVENTORY}, cipher=cipher)
        found = topology.get("data", timeout=30)
        assert found is not None, sailor.output()
        assert wait_for(lambda: signed_url_lines(json_lines(sailor.output())), timeout=5)
    finally:
        sailor.stop()
    assert cipher.decode(found[1], 1)["body"]["feedType"] == "_POST_INVENTORY_AVAILABILITY_DATA_"
    output = log_path.read_text(encoding="utf-8")
    assert "&Signature=*** HTTP/1.1" in signed_url_lines(json_lines(output))[0]["msg"]
    assert {line["level"] for line in json_lines(output)} >= {20, 30}  # debug lines really were written
    assert_clean(output, forbidden(cfg, seen))


def test_every_level_and_the_published_error_hold_no_secret(topology, platform, cipher, sandbox, monkeypatch):
    box, url, seen = sandbox
    cfg = box.credentials(url)
    platform.steps[("flow-1", "step_2")] = step_data(cfg)
    logs = io.StringIO()
    monkeypatch.setenv("LOG_LEVEL", "trace")
    loud, unreachable = LoudTransport(LEVELS), UnreachableTransport()
    sdk_logging.configure(stream=logs)
    try:
        with stdlib_bridge(), running_sailor(sailor_env(topology, platform, "submitInventory"), root=REPO):
            with override(transport=loud):
                topology.publish_input({"body": INVENTORY}, cipher=cipher)
                assert topology.get("data", timeout=30) is not None, logs.getvalue()
            with override(transport=unreachable):
                topology.publish_input({"body": INVENTORY}, cipher=cipher)
                published = topology.get("error", timeout=30)
    finally:
        sdk_logging.configure(stream=None)
    assert published is not None, logs.getvalue()
    error = cipher.decode(json.loads(published[1])["error"])
    assert error["name"] == "RuntimeError" and "the feed upload failed" in error["message"]
    assert "During handling of the above exception" in error["stack"] and "Signature=***" in error["stack"]
    lines = json_lines(logs.getvalue())
    probes = [line for line in lines if line.get("probe") or line.get("logger") == "probe.http"]
    assert {line["level"] for line in probes} == set(sdk_logging.LEVELS.values())
    assert all("Signature=***" in json.dumps(p) for p in probes)
    assert signed_url_lines(lines)
    secrets = forbidden(cfg, [*seen, *loud.sent, *unreachable.sent])
    assert_clean(logs.getvalue(), secrets)
    assert_clean(json.dumps(error), secrets)
