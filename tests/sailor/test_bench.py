"""The throughput bench runs end to end on the broker."""

from __future__ import annotations

import pytest

from bench.passthrough import passthrough_throughput

from .conftest import AMQP_URI

pytestmark = pytest.mark.rabbitmq


def test_passthrough_throughput_reports_both_rates_and_startup():
    result = passthrough_throughput(40, AMQP_URI, prefetch=4)
    assert result["messages"] == 40 and result["prefetch"] == 4
    assert result["sailor_msgs_per_s"] > 0 and result["baseline_msgs_per_s"] > 0
    assert result["sailor_vs_baseline"] == pytest.approx(
        result["sailor_msgs_per_s"] / result["baseline_msgs_per_s"], rel=0.01)
    assert 0 < result["startup_seconds"] < 30


def test_bench_refuses_zero_messages():
    with pytest.raises(ValueError, match="at least 1"):
        passthrough_throughput(0, AMQP_URI)

