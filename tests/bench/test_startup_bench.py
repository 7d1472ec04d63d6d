"""bench/startup.py: the real listOrderItems sailor spawned on the broker, its start-up and imports timed."""

from __future__ import annotations

import pytest

from bench import startup

pytestmark = pytest.mark.rabbitmq

AMQP_URI = "amqp://guest:guest@127.0.0.1:5672/%2F"


def test_startup_reports_medians_with_their_spread_and_a_working_step():
    result = startup.run(repeats=3, uri=AMQP_URI)
    assert (result["step"], result["repeats"]) == ("listOrderItems", 3)
    for key in ("step_start", "imports_seconds", "interpreter_seconds"):
        figure = result["spread"][key]
        assert len(figure["runs"]) == 3 and figure["min"] <= result[key] == figure["median"] <= figure["max"]
        assert 0 < result[key] < 30
    cached = result["bytecode_cached"]
    assert set(cached["spread"]) == {"step_start", "imports_seconds"}
    assert all(0 < cached[key] == cached["spread"][key]["median"] < 30 for key in cached["spread"])
    # the sailor answered the message sent after start-up: no credentials in its config, so the step's error
    assert result["reply"]["kind"] == "error" and result["reply"]["error"] == "ConfigurationError"


def test_an_unreachable_broker_is_a_skip_with_its_reason():
    result = startup.run(repeats=3, uri="amqp://guest:guest@127.0.0.1:9/%2F")
    assert "skipped" in result and result["step"] == "listOrderItems"
